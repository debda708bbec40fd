//! Discord's rate limits as Discord states them: every answer names its bucket
//! (`X-RateLimit-Bucket`), what is left of the bucket's window (`-Remaining`) and when the window
//! resets (`-Reset-After`). Routes that report the same bucket share it; a route's major
//! parameter (the channel, the webhook) gives each its own window. A request waits for its
//! window instead of provoking a 429, and a global 429 pauses every request. Pure state: the
//! caller passes the time and does the waiting.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// A request's rate-limit identity: its route (method and path with ids taken out) and its
/// major parameter.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Route {
    key: String,
    major: String,
}

impl Route {
    /// `path` is below `/api/v10`, query included or not.
    pub fn of(method: &str, path: &str) -> Route {
        let path = path.split('?').next().unwrap_or(path);
        let segments: Vec<&str> = path.split('/').filter(|s| !s.is_empty()).collect();
        let major = match segments.as_slice() {
            ["channels" | "guilds", id, ..] => id.to_string(),
            ["webhooks", id, token, ..] | ["interactions", id, token, ..] => format!("{id}/{token}"),
            _ => String::new(),
        };
        let template: Vec<&str> = segments
            .iter()
            .enumerate()
            .map(|(i, s)| {
                let after_id = i > 0 && matches!(segments[i - 1], "webhooks" | "interactions");
                let token = i > 1 && matches!(segments[i - 2], "webhooks" | "interactions");
                if s.chars().all(|c| c.is_ascii_digit()) || after_id || token { ":id" } else { s }
            })
            .collect();
        Route { key: format!("{method} /{}", template.join("/")), major }
    }
}

/// What an answer said about its limits.
#[derive(Debug, Default, Clone, PartialEq)]
pub(crate) struct Answer {
    pub status: u16,
    pub bucket: Option<String>,
    pub remaining: Option<u32>,
    pub reset_after: Option<f64>,
    /// 429: the body's (or `Retry-After`'s) seconds, and whether the limit was the global one.
    pub retry_after: Option<f64>,
    pub global: bool,
}

struct Window {
    remaining: u32,
    reset_at: Instant,
}

#[derive(Default)]
struct State {
    bucket_of: HashMap<String, String>,
    windows: HashMap<(String, String), Window>,
    global_until: Option<Instant>,
}

#[derive(Default)]
pub(crate) struct Limits {
    state: Mutex<State>,
}

impl Limits {
    /// How long `route` must wait at `now` before it may go; `None`: it may go now, and its place
    /// in the window is taken.
    pub fn before(&self, route: &Route, now: Instant) -> Option<Duration> {
        let mut state = self.state.lock().expect("limits lock");
        if let Some(until) = state.global_until.filter(|until| *until > now) {
            return Some(until - now);
        }
        let bucket = state.bucket_of.get(&route.key)?.clone();
        let window = state.windows.get_mut(&(bucket, route.major.clone()))?;
        if window.reset_at <= now {
            // A new window: the answer will tell how much of it is left.
            return None;
        }
        if window.remaining == 0 {
            return Some(window.reset_at - now);
        }
        window.remaining -= 1;
        None
    }

    /// Learns from `route`'s answer at `now`.
    pub fn after(&self, route: &Route, answer: &Answer, now: Instant) {
        let mut state = self.state.lock().expect("limits lock");
        if answer.status == 429 && answer.global {
            let seconds = answer.retry_after.unwrap_or(1.0).clamp(0.0, 3600.0);
            state.global_until = Some(now + Duration::from_secs_f64(seconds));
            return;
        }
        let Some(bucket) = answer.bucket.clone().or_else(|| state.bucket_of.get(&route.key).cloned()) else {
            return;
        };
        state.bucket_of.insert(route.key.clone(), bucket.clone());
        let (remaining, reset_after) = match answer.status {
            429 => (0, answer.retry_after.or(answer.reset_after)),
            _ => (answer.remaining.unwrap_or(1), answer.reset_after),
        };
        if let Some(seconds) = reset_after {
            let reset_at = now + Duration::from_secs_f64(seconds.clamp(0.0, 3600.0));
            // One window per channel ever written to: past windows say nothing an absent one
            // does not, so they go once there are many.
            if state.windows.len() >= PRUNE_AT {
                state.windows.retain(|_, window| window.reset_at > now);
            }
            state.windows.insert((bucket, route.major.clone()), Window { remaining, reset_at });
        }
    }

    #[cfg(test)]
    fn windows(&self) -> usize {
        self.state.lock().expect("limits lock").windows.len()
    }
}

/// Windows kept before the past ones are dropped.
const PRUNE_AT: usize = 1024;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn windows_of_channels_long_quiet_are_dropped() {
        let limits = Limits::default();
        let start = Instant::now();
        for channel in 0..PRUNE_AT + 10 {
            let route = Route { key: "POST /channels/{id}/messages".into(), major: channel.to_string() };
            limits.after(&route, &ok(4, 1.0), start);
        }
        assert!(limits.windows() <= PRUNE_AT + 10);
        let later = start + Duration::from_secs(5);
        let route = Route { key: "POST /channels/{id}/messages".into(), major: "fresh".into() };
        limits.after(&route, &ok(4, 1.0), later);
        assert_eq!(limits.windows(), 1, "only the window still open is kept");
    }

    fn ok(remaining: u32, reset_after: f64) -> Answer {
        Answer {
            status: 200,
            bucket: Some("abc".into()),
            remaining: Some(remaining),
            reset_after: Some(reset_after),
            ..Answer::default()
        }
    }

    #[test]
    fn routes_keep_their_major_parameter_and_drop_other_ids() {
        let route = Route::of("POST", "/channels/123/messages");
        assert_eq!((route.key.as_str(), route.major.as_str()), ("POST /channels/:id/messages", "123"));
        let thread = Route::of("POST", "/channels/123/messages/456/threads");
        assert_eq!(thread.key, "POST /channels/:id/messages/:id/threads");
        let hook = Route::of("POST", "/webhooks/77/tok-en");
        assert_eq!((hook.key.as_str(), hook.major.as_str()), ("POST /webhooks/:id/:id", "77/tok-en"));
        assert_eq!(Route::of("GET", "/channels/9/messages?after=1&limit=100").key, "GET /channels/:id/messages");
    }

    #[test]
    fn a_window_used_up_waits_for_its_reset_and_other_channels_do_not() {
        let limits = Limits::default();
        let (a, b) = (Route::of("POST", "/channels/1/messages"), Route::of("POST", "/channels/2/messages"));
        let t0 = Instant::now();
        assert_eq!(limits.before(&a, t0), None, "nothing known yet");
        limits.after(&a, &ok(1, 5.0), t0);
        assert_eq!(limits.before(&a, t0), None, "one left");
        limits.after(&a, &ok(0, 4.9), t0 + Duration::from_millis(100));
        let wait = limits.before(&a, t0 + Duration::from_millis(200)).expect("the window is used up");
        assert!(wait > Duration::from_millis(4700) && wait <= Duration::from_millis(4800), "{wait:?}");
        assert_eq!(limits.before(&b, t0 + Duration::from_millis(200)), None, "another channel's window");
        assert_eq!(limits.before(&a, t0 + Duration::from_secs(6)), None, "after the reset");
    }

    #[test]
    fn the_last_place_in_a_window_is_taken_by_one_request_only() {
        let limits = Limits::default();
        let a = Route::of("POST", "/channels/1/messages");
        let t0 = Instant::now();
        limits.after(&a, &ok(1, 2.0), t0);
        assert_eq!(limits.before(&a, t0), None);
        assert!(limits.before(&a, t0).is_some(), "the place was taken");
    }

    #[test]
    fn routes_reporting_one_bucket_share_it_and_a_global_429_pauses_everything() {
        let limits = Limits::default();
        let (send, edit) = (Route::of("POST", "/channels/1/messages"), Route::of("PATCH", "/channels/1/messages/5"));
        let t0 = Instant::now();
        limits.after(&send, &ok(0, 1.0), t0);
        limits.after(&edit, &ok(0, 1.0), t0);
        assert!(limits.before(&edit, t0).is_some());
        let global = Answer { status: 429, retry_after: Some(0.5), global: true, ..Answer::default() };
        limits.after(&send, &global, t0);
        let other = Route::of("POST", "/channels/99/messages");
        assert!(limits.before(&other, t0 + Duration::from_millis(100)).is_some(), "global pause");
        assert_eq!(limits.before(&other, t0 + Duration::from_millis(600)), None);
    }
}
