//! Rules read from JSON as admins write them, checked, and their conditions on hand-made facts.

use super::*;

fn rule(json: serde_json::Value) -> Result<Rule, String> {
    serde_json::from_value::<Rule>(json).map_err(|e| e.to_string())?.checked()
}

fn vip_chinese_deposits() -> Facts {
    Facts {
        channel: Some(ChannelKind::Telegram),
        locale: Some("zh-CN".into()),
        category: Some("deposits".into()),
        tags: vec!["kyc".into(), "Withdrawal".into()],
        priority: Some(Priority::Normal),
        team_id: Some(3),
        attributes: BTreeMap::from([("VIP".to_owned(), "gold".to_owned())]),
        text: "My USDT deposit has not arrived, 充值没到账".into(),
    }
}

#[test]
fn a_rule_reads_from_json_with_one_value_or_several() {
    let read = rule(serde_json::json!({
        "name": " VIP to the priority desk ",
        "event": "handed_off",
        "conditions": [
            {"field": "attribute", "name": "vip", "value": ["gold", "platinum"]},
            {"field": "language", "value": "zh"},
            {"field": "team", "operator": "is", "value": 3}
        ],
        "actions": [{"type": "assign_team", "team_id": 2}, {"type": "set_priority", "priority": "high"},
                    {"type": "notify", "lead": true}]
    }))
    .unwrap();
    assert_eq!(read.name, "VIP to the priority desk");
    assert!(read.enabled, "enabled unless said otherwise");
    assert_eq!(read.conditions[2].value, ["3"]);
    assert!(matches(&read.conditions, &vip_chinese_deposits()));
    assert_eq!(read.actions[2], Action::Notify { agent_ids: vec![], assignee: false, lead: true });
}

#[test]
fn rules_that_cannot_run_are_refused() {
    let base = |event: &str, extra: serde_json::Value| {
        let mut json = serde_json::json!({"name": "r", "event": event, "actions": [{"type": "add_tag", "tag": "x"}]});
        json.as_object_mut().unwrap().extend(extra.as_object().unwrap().clone());
        rule(json)
    };
    assert!(base("idle", serde_json::json!({})).is_err(), "idle without a duration");
    assert_eq!(base("idle", serde_json::json!({"idle_for": "2h"})).unwrap().idle_ms(), Some(7_200_000));
    assert!(base("resolved", serde_json::json!({"actions": []})).is_err(), "nothing to do");
    assert!(base("resolved", serde_json::json!({"conditions": [{"field": "attribute", "value": "x"}]})).is_err());
    assert!(base("resolved", serde_json::json!({"actions": [{"type": "add_tag", "tag": "a\"b"}]})).is_err());
    assert!(base("whenever", serde_json::json!({})).is_err(), "unknown event");
}

#[test]
fn each_field_and_operator_holds_as_written() {
    let facts = vip_chinese_deposits();
    let holds = |json: serde_json::Value| {
        let condition: Condition = serde_json::from_value(json).unwrap();
        matches(&[condition], &facts)
    };
    assert!(holds(serde_json::json!({"field": "channel", "value": ["discord", "telegram"]})));
    assert!(holds(serde_json::json!({"field": "channel", "operator": "is_not", "value": "email"})));
    assert!(holds(serde_json::json!({"field": "tag", "value": "withdrawal"})), "case aside");
    assert!(holds(serde_json::json!({"field": "tag", "operator": "not_contains", "value": "spam"})));
    assert!(holds(serde_json::json!({"field": "text", "operator": "contains", "value": ["到账", "refund"]})));
    assert!(!holds(serde_json::json!({"field": "text", "operator": "contains", "value": "refund"})));
    assert!(holds(serde_json::json!({"field": "category", "value": "Deposits"})));
    assert!(!holds(serde_json::json!({"field": "language", "value": "en"})));
    assert!(holds(serde_json::json!({"field": "priority", "operator": "is_not", "value": "urgent"})));
    assert!(!holds(serde_json::json!({"field": "attribute", "name": "KYC level", "value": "2"})), "no such attribute");
    assert!(holds(serde_json::json!({"field": "attribute", "name": "KYC level", "operator": "is_not", "value": "2"})));
    assert!(matches(&[], &facts), "no condition: always");
}
