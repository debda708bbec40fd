//! The core's long-running tasks (writer, dispatcher) watched: whether each still runs, for
//! `/healthz`, and a signal when one ends before a shutdown asked it to.

use serde::Serialize;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use tokio_util::sync::CancellationToken;

#[derive(Clone, Copy)]
pub(crate) enum Task {
    Writer,
    Dispatcher,
}

/// Whether each core task runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct CoreHealth {
    pub writer: bool,
    pub dispatcher: bool,
    /// Batches the writer could not commit whole since the start, whose writes it then retried
    /// one by one (each such batch is logged with its conversations).
    pub failed_batches: u64,
}

impl CoreHealth {
    pub fn ok(&self) -> bool {
        self.writer && self.dispatcher
    }
}

#[derive(Clone, Default)]
pub(crate) struct Tasks {
    inner: Arc<State>,
}

#[derive(Default)]
struct State {
    writer: AtomicBool,
    dispatcher: AtomicBool,
    stopping: AtomicBool,
    failed_batches: AtomicU64,
    /// Cancelled when a task ends while no shutdown was asked for.
    died: CancellationToken,
}

impl Tasks {
    /// `future` marked running until it returns or unwinds.
    pub fn watch<F: Future<Output = ()>>(&self, task: Task, future: F) -> impl Future<Output = ()> + use<F> {
        let guard = Running::new(self.inner.clone(), task);
        async move {
            let _guard = guard;
            future.await
        }
    }

    pub fn health(&self) -> CoreHealth {
        CoreHealth {
            writer: self.inner.writer.load(Ordering::Acquire),
            dispatcher: self.inner.dispatcher.load(Ordering::Acquire),
            failed_batches: self.inner.failed_batches.load(Ordering::Relaxed),
        }
    }

    pub fn batch_failed(&self) {
        self.inner.failed_batches.fetch_add(1, Ordering::Relaxed);
    }

    /// From now on, tasks ending is the shutdown's doing.
    pub fn stopping(&self) {
        self.inner.stopping.store(true, Ordering::Release);
    }

    pub async fn died(&self) -> CoreHealth {
        self.inner.died.cancelled().await;
        self.health()
    }
}

/// Marks its task running while it lives: dropped when the task returns, panics or is aborted.
struct Running {
    state: Arc<State>,
    task: Task,
}

impl Running {
    fn new(state: Arc<State>, task: Task) -> Running {
        state.flag(task).store(true, Ordering::Release);
        Running { state, task }
    }
}

impl State {
    fn flag(&self, task: Task) -> &AtomicBool {
        match task {
            Task::Writer => &self.writer,
            Task::Dispatcher => &self.dispatcher,
        }
    }
}

impl Drop for Running {
    fn drop(&mut self) {
        self.state.flag(self.task).store(false, Ordering::Release);
        if !self.state.stopping.load(Ordering::Acquire) {
            let name = match self.task {
                Task::Writer => "writer",
                Task::Dispatcher => "dispatcher",
            };
            tracing::error!(task = name, "a core task ended unexpectedly");
            self.state.died.cancel();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_task_that_panics_is_reported_stopped_and_signals_its_death() {
        let tasks = Tasks::default();
        let writer = tokio::spawn(tasks.watch(Task::Writer, async { panic!("a bug") }));
        let dispatcher = tokio::spawn(tasks.watch(Task::Dispatcher, std::future::pending()));
        assert!(writer.await.is_err());
        let health = tasks.died().await;
        assert!(!health.writer && health.dispatcher && !health.ok(), "{health:?}");
        dispatcher.abort();
    }

    #[tokio::test]
    async fn tasks_ending_during_a_shutdown_are_not_a_death() {
        let tasks = Tasks::default();
        let writer = tokio::spawn(tasks.watch(Task::Writer, async {}));
        tasks.stopping();
        writer.await.unwrap();
        assert!(!tasks.health().writer);
        assert!(!tasks.inner.died.is_cancelled());
    }
}
