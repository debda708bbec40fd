//! `/api/v1/conversations`: the list with its filters, one conversation, replies, notes and changes.

use crate::AppState;
use crate::auth::Session;
use crate::error::ApiError;
use crate::view::{ListQuery, wire_conversation, wire_for};
use crate::wire::{ConversationDetail, ConversationList, WireConversation, WireMessage};
use axum::extract::rejection::{JsonRejection, QueryRejection};
use axum::extract::{FromRequest, Multipart, Path, Query, State};
use axum::http::StatusCode;
use axum::{Extension, Json};
use serde::Deserialize;
use serde_json::{Map, Value};
use switchboard_core::model::Button;
use switchboard_core::model::InboundAttachment;
use switchboard_core::model::{Author, ChannelKind, ConversationId, Priority, Status};
use switchboard_core::post::{ConversationUpdate, Post, PostKind};
use switchboard_core::store::conversations::valid_tag;

#[utoipa::path(get, path = "/api/v1/conversations", operation_id = "list_conversations", tag = "conversations", params(ListQuery),
    responses((status = 200, body = ConversationList)))]
pub async fn list(
    State(state): State<AppState>,
    Extension(session): Extension<Session>,
    query: Result<Query<ListQuery>, QueryRejection>,
) -> Result<Json<ConversationList>, ApiError> {
    let Query(query) = query?;
    let filter = query.filter(session.agent.id)?;
    let conversations = state.core.store().list_conversations(&filter).await?;
    let counts = state.core.store().view_counts(session.agent.id).await?;
    let conversations = conversations.iter().map(WireConversation::from).collect();
    Ok(Json(ConversationList { conversations, counts }))
}

#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PageQuery {
    /// The next page: messages after this id.
    #[serde(default)]
    pub after: i64,
}

#[utoipa::path(get, path = "/api/v1/conversations/{id}", operation_id = "get_conversation", tag = "conversations",
    params(("id" = i64, Path, description = "The conversation"), PageQuery), responses((status = 200, body = ConversationDetail)))]
pub async fn show(
    State(state): State<AppState>,
    Extension(session): Extension<Session>,
    Path(id): Path<ConversationId>,
    query: Result<Query<PageQuery>, QueryRejection>,
) -> Result<Json<ConversationDetail>, ApiError> {
    let Query(page) = query?;
    let conversation = wire_conversation(&state, id).await?;
    let messages = state.core.store().conversation_messages(id, page.after).await?;
    let messages = messages.iter().map(|m| wire_for(&state, &session, m)).collect();
    let surveys = state.core.store().surveys(id).await?;
    let complaint = state.core.store().complaint(id, switchboard_core::clock::now_ms()).await?;
    Ok(Json(ConversationDetail { conversation, messages, surveys, complaint }))
}

/// The changes `PATCH /api/v1/conversations/{id}` takes; a field left out stays as it is.
#[derive(utoipa::ToSchema)]
#[allow(dead_code)] // read field by field from the JSON object (to tell `null` from absent)
pub struct ConversationChange {
    /// `open`, `pending` or `resolved`.
    status: Option<String>,
    /// An agent's id; `null` unassigns.
    assignee_id: Option<i64>,
    /// `low`, `normal`, `high` or `urgent`.
    priority: Option<String>,
    tags: Option<Vec<String>>,
    /// `true` hands the conversation to people, `false` back to the bot.
    handoff: Option<bool>,
    /// A team's id; `null` takes it out of its team.
    team_id: Option<i64>,
}

#[utoipa::path(patch, path = "/api/v1/conversations/{id}", operation_id = "update_conversation", tag = "conversations", request_body = ConversationChange,
    params(("id" = i64, Path, description = "The conversation")), responses((status = 200, body = WireConversation)))]
pub async fn update(
    State(state): State<AppState>,
    Extension(session): Extension<Session>,
    Path(id): Path<ConversationId>,
    body: Result<Json<Map<String, Value>>, JsonRejection>,
) -> Result<Json<WireConversation>, ApiError> {
    let Json(fields) = body?;
    let update = change_of(&state, &session, id, &fields).await?;
    state.core.update_conversation(update).await?;
    Ok(Json(wire_conversation(&state, id).await?))
}

/// The update `fields` (a PATCH body) ask of conversation `id`, checked.
async fn change_of(
    state: &AppState,
    session: &Session,
    id: ConversationId,
    fields: &Map<String, Value>,
) -> Result<ConversationUpdate, ApiError> {
    let mut update = ConversationUpdate { id, agent_id: Some(session.agent.id), ..Default::default() };
    for (key, value) in fields {
        let invalid = |what: &str| ApiError::Unprocessable(format!("{key}: {what}"));
        match key.as_str() {
            "status" => {
                let text = value.as_str().ok_or_else(|| invalid("expected open, pending or resolved"))?;
                update.status =
                    Some(text.parse::<Status>().map_err(|_| invalid("expected open, pending or resolved"))?);
            }
            "assignee_id" => {
                update.assignee = Some(match value {
                    Value::Null => None,
                    other => {
                        let agent = other.as_i64().ok_or_else(|| invalid("expected an agent id or null"))?;
                        state.core.store().agent(agent).await?.ok_or_else(|| invalid("no such agent"))?;
                        Some(agent)
                    }
                });
            }
            "team_id" => {
                update.team = Some(match value {
                    Value::Null => None,
                    other => {
                        let team = other.as_i64().ok_or_else(|| invalid("expected a team id or null"))?;
                        state.core.store().team(team).await?.ok_or_else(|| invalid("no such team"))?;
                        Some(team)
                    }
                });
            }
            "handoff" => {
                update.handoff = Some(
                    value.as_bool().ok_or_else(|| invalid("expected true (to people) or false (back to the bot)"))?,
                );
            }
            "priority" => {
                let text = value.as_str().ok_or_else(|| invalid("expected low, normal, high or urgent"))?;
                update.priority =
                    Some(text.parse::<Priority>().map_err(|_| invalid("expected low, normal, high or urgent"))?);
            }
            "tags" => {
                let tags: Vec<String> =
                    serde_json::from_value(value.clone()).map_err(|_| invalid("expected a list of strings"))?;
                if tags.iter().any(|t| !valid_tag(t)) {
                    return Err(invalid("each tag is 1 to 50 characters, without quotes or backslashes"));
                }
                let mut unique: Vec<String> = Vec::new();
                for tag in tags.iter().map(|t| t.trim().to_owned()) {
                    if !unique.contains(&tag) {
                        unique.push(tag);
                    }
                }
                update.tags = Some(unique);
            }
            other => return Err(ApiError::Unprocessable(format!("{other}: not a field that can be changed"))),
        }
    }
    Ok(update)
}

/// One change to several conversations: any of the PATCH fields but `tags` and `handoff`,
/// and tags added to or removed from each one's own.
#[derive(Deserialize, utoipa::ToSchema)]
pub struct BulkChange {
    /// Up to 500 conversations.
    ids: Vec<ConversationId>,
    /// `open`, `pending` or `resolved`.
    status: Option<String>,
    /// An agent's id; `null` unassigns (absent: unchanged).
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = Option<i64>)]
    assignee_id: Option<Value>,
    /// `low`, `normal`, `high` or `urgent`.
    priority: Option<String>,
    #[serde(default)]
    add_tags: Vec<String>,
    #[serde(default)]
    remove_tags: Vec<String>,
}

/// A field that is there, even as `null` (`Some(Value::Null)`), told from one that is not.
fn present<'de, D: serde::Deserializer<'de>>(deserializer: D) -> Result<Option<Value>, D::Error> {
    Value::deserialize(deserializer).map(Some)
}

/// What a bulk change did: the conversations changed, and why others were not.
#[derive(serde::Serialize, utoipa::ToSchema)]
pub struct BulkResult {
    pub updated: Vec<ConversationId>,
    pub failed: Vec<BulkFailure>,
}

#[derive(serde::Serialize, utoipa::ToSchema)]
pub struct BulkFailure {
    pub id: ConversationId,
    pub error: String,
}

const MOST_AT_ONCE: usize = 500;

#[utoipa::path(post, path = "/api/v1/conversations/bulk", operation_id = "bulk_update_conversations", tag = "conversations",
    request_body = BulkChange, responses((status = 200, body = BulkResult)))]
pub async fn bulk(
    State(state): State<AppState>,
    Extension(session): Extension<Session>,
    body: Result<Json<BulkChange>, JsonRejection>,
) -> Result<Json<BulkResult>, ApiError> {
    let Json(change) = body?;
    if change.ids.is_empty() || change.ids.len() > MOST_AT_ONCE {
        return Err(ApiError::Unprocessable(format!("ids: 1 to {MOST_AT_ONCE} conversations")));
    }
    let mut fields = Map::new();
    if let Some(status) = change.status {
        fields.insert("status".into(), status.into());
    }
    if let Some(assignee) = change.assignee_id {
        fields.insert("assignee_id".into(), assignee);
    }
    if let Some(priority) = change.priority {
        fields.insert("priority".into(), priority.into());
    }
    if change.add_tags.iter().chain(&change.remove_tags).any(|t| !valid_tag(t)) {
        return Err(ApiError::Unprocessable("tags: each 1 to 50 characters, without quotes or backslashes".into()));
    }
    // Every field is checked once, on the first conversation, before anything changes.
    change_of(&state, &session, change.ids[0], &fields).await?;
    let mut result = BulkResult { updated: Vec::new(), failed: Vec::new() };
    for id in change.ids {
        match bulk_one(&state, &session, id, &fields, &change.add_tags, &change.remove_tags).await {
            Ok(()) => result.updated.push(id),
            Err(error) => result.failed.push(BulkFailure { id, error: error.to_string() }),
        }
    }
    Ok(Json(result))
}

async fn bulk_one(
    state: &AppState,
    session: &Session,
    id: ConversationId,
    fields: &Map<String, Value>,
    add: &[String],
    remove: &[String],
) -> Result<(), ApiError> {
    let mut update = change_of(state, session, id, fields).await?;
    if !add.is_empty() || !remove.is_empty() {
        let conversation = state
            .core
            .store()
            .conversation(id)
            .await?
            .ok_or_else(|| ApiError::NotFound(format!("conversation {id}")))?;
        let mut tags: Vec<String> = conversation.tags.into_iter().filter(|t| !remove.contains(t)).collect();
        for tag in add.iter().map(|t| t.trim().to_owned()) {
            if !tags.contains(&tag) {
                tags.push(tag);
            }
        }
        update.tags = Some(tags);
    }
    state.core.update_conversation(update).await?;
    Ok(())
}

#[derive(Deserialize, utoipa::ToSchema)]
pub struct NewMessage {
    body: String,
    /// A private note, never sent to the customer.
    #[serde(default)]
    private: bool,
    /// `webchat`, `telegram`, `discord` or `email`; default: the customer's last.
    channel: Option<String>,
    /// The contact's identity to reply to (`GET /api/v1/contacts/{id}` lists them); default:
    /// the one that wrote in this conversation.
    #[serde(default)]
    identity_id: Option<i64>,
    /// Choices offered with a reply: `[{"id", "label"}]`; a press comes back as its label.
    #[serde(default)]
    buttons: Vec<Button>,
    /// A canned response whose files go with this message.
    #[serde(default)]
    canned_id: Option<i64>,
}

/// Telegram's limits: callback data of 1–64 bytes, and a keyboard that fits a phone.
const MAX_BUTTONS: usize = 12;
const MAX_BUTTON_ID_BYTES: usize = 64;

fn check_buttons(buttons: &[Button], private: bool) -> Result<(), ApiError> {
    if private && !buttons.is_empty() {
        return Err(ApiError::Unprocessable("a private note cannot offer buttons".into()));
    }
    if buttons.len() > MAX_BUTTONS {
        return Err(ApiError::Unprocessable(format!("at most {MAX_BUTTONS} buttons")));
    }
    for b in buttons {
        if b.label.trim().is_empty() || b.id.is_empty() || b.id.len() > MAX_BUTTON_ID_BYTES {
            return Err(ApiError::Unprocessable(format!(
                "button {:?}: a label and an id of 1 to {MAX_BUTTON_ID_BYTES} bytes",
                b.id
            )));
        }
    }
    Ok(())
}

/// Larger uploads are refused before they are read (Telegram takes documents up to 50 MB).
pub const MAX_UPLOAD_BYTES: usize = 50 * 1024 * 1024;

/// A reply or note: JSON `{"body","private","channel"}`, or `multipart/form-data` with the same
/// fields and any number of `file` parts, which are kept with the message and sent with a reply.
#[utoipa::path(post, path = "/api/v1/conversations/{id}/messages", operation_id = "post_message", tag = "conversations",
    request_body(content((NewMessage = "application/json"), (NewMessage = "multipart/form-data"))),
    params(("id" = i64, Path, description = "The conversation")), responses((status = 201, body = WireMessage)))]
pub async fn post_message(
    State(state): State<AppState>,
    Extension(session): Extension<Session>,
    Path(id): Path<ConversationId>,
    request: axum::extract::Request,
) -> Result<(StatusCode, Json<WireMessage>), ApiError> {
    let multipart = request
        .headers()
        .get(axum::http::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("multipart/form-data"));
    let (new, mut attachments) = if multipart {
        let form = Multipart::from_request(request, &state).await?;
        read_form(form).await?
    } else {
        let Json(new) = Json::<NewMessage>::from_request(request, &state).await?;
        (new, Vec::new())
    };
    let kind = if new.private {
        PostKind::Note
    } else {
        let channel = match new.channel.as_deref() {
            None => None,
            Some(c) => Some(c.parse::<ChannelKind>().map_err(|_| ApiError::Unprocessable(format!("channel {c:?}")))?),
        };
        PostKind::Reply { channel }
    };
    check_buttons(&new.buttons, new.private)?;
    if let Some(canned) = new.canned_id {
        attachments.extend(canned_files(&state, canned).await?);
    }
    let with_files = !attachments.is_empty();
    let mentions = if new.private { mentioned(&state, &new.body, session.agent.id).await? } else { Vec::new() };
    let post = Post {
        attachments,
        mentions,
        buttons: new.buttons,
        identity_id: new.identity_id.filter(|_| !new.private),
        ..Post::new(id, Author::Agent, Some(session.agent.id), new.body, kind)
    };
    let mut message = state.core.post(post).await?;
    if with_files {
        // The attachments' ids are assigned by the database: read the message back.
        if let Some(stored) = state.core.store().message(message.id).await? {
            message.attachments = stored.attachments;
        }
    }
    Ok((StatusCode::CREATED, Json(WireMessage::from(&message))))
}

/// The agents a note @-mentions, by first name, whole name without spaces, or the first part
/// of their e-mail address (case aside); never the writer.
async fn mentioned(state: &AppState, body: &str, writer: i64) -> Result<Vec<i64>, ApiError> {
    let handles: Vec<String> = body
        .split('@')
        .skip(1)
        .map(|rest| {
            rest.chars().take_while(|c| c.is_alphanumeric() || matches!(c, '.' | '_' | '-')).collect::<String>()
        })
        .map(|handle| handle.trim_end_matches(['.', '-', '_']).to_lowercase())
        .filter(|handle| !handle.is_empty())
        .collect();
    if handles.is_empty() {
        return Ok(Vec::new());
    }
    let agents = state.core.store().agents().await?;
    Ok(agents
        .iter()
        .filter(|a| a.id != writer)
        .filter(|a| {
            let first = a.name.split_whitespace().next().unwrap_or_default().to_lowercase();
            let whole: String = a.name.split_whitespace().collect::<String>().to_lowercase();
            let local = a.email.split('@').next().unwrap_or_default().to_lowercase();
            handles.iter().any(|h| *h == first || *h == whole || *h == local)
        })
        .map(|a| a.id)
        .collect())
}

/// The files of canned response `id`, read from the attachment store.
async fn canned_files(state: &AppState, id: i64) -> Result<Vec<InboundAttachment>, ApiError> {
    let canned = state
        .core
        .store()
        .canned_response(id)
        .await?
        .ok_or_else(|| ApiError::Unprocessable(format!("canned_id {id}: no such canned response")))?;
    let mut files = Vec::with_capacity(canned.attachments.len());
    for file in canned.attachments {
        let path = state
            .core
            .attachments()
            .path_of(&file.storage_key)
            .ok_or_else(|| ApiError::Internal(format!("canned file {} has an invalid storage key", file.id)))?;
        let bytes = tokio::fs::read(&path).await.map_err(|e| ApiError::Internal(format!("{}: {e}", path.display())))?;
        files.push(InboundAttachment { filename: file.filename, content_type: file.content_type, bytes });
    }
    Ok(files)
}

async fn read_form(mut form: Multipart) -> Result<(NewMessage, Vec<InboundAttachment>), ApiError> {
    let mut new = NewMessage {
        body: String::new(),
        private: false,
        channel: None,
        identity_id: None,
        buttons: Vec::new(),
        canned_id: None,
    };
    let mut files = Vec::new();
    while let Some(field) = form.next_field().await? {
        match field.name().unwrap_or_default() {
            "body" => new.body = field.text().await?,
            "private" => new.private = matches!(field.text().await?.trim(), "true" | "1" | "on"),
            "channel" => new.channel = Some(field.text().await?).filter(|c| !c.trim().is_empty()),
            "identity_id" => {
                let text = field.text().await?;
                let id = text.trim().parse().map_err(|_| ApiError::Unprocessable(format!("identity_id {text:?}")))?;
                new.identity_id = Some(id);
            }
            "canned_id" => {
                let text = field.text().await?;
                new.canned_id =
                    Some(text.trim().parse().map_err(|_| ApiError::Unprocessable(format!("canned_id {text:?}")))?);
            }
            "file" | "files" | "attachment" => {
                let filename = field.file_name().unwrap_or("file").to_owned();
                let content_type = field.content_type().unwrap_or("application/octet-stream").to_owned();
                let bytes = field.bytes().await?.to_vec();
                if !bytes.is_empty() {
                    files.push(InboundAttachment { filename, content_type, bytes });
                }
            }
            other => return Err(ApiError::Unprocessable(format!("{other}: not a field of a message"))),
        }
    }
    Ok((new, files))
}
