//! The bot's rules read every customer language: asking for a person, a scam report, asking
//! whether to share the phrase, a broken-into account, anger.

use std::path::Path;
use switchboard_bot::article::load_dir;
use switchboard_bot::scam::{self, Scam};
use switchboard_bot::{Action, Knowledge, Reason, decide};

fn kb() -> Knowledge {
    Knowledge::build(load_dir(&Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/kb")).unwrap())
}

#[test]
fn asking_for_a_person_hands_off_in_each_language() {
    let kb = kb();
    for (lang, text) in [
        ("zh-TW", "我要轉人工客服"),
        ("ja", "担当者と話したいです"),
        ("ko", "상담원과 연결해 주세요"),
        ("ru", "Позовите, пожалуйста, оператора"),
        ("es", "Quiero hablar con una persona real"),
        ("pt-BR", "Quero falar com um atendente"),
        ("tr", "Müşteri temsilcisi ile görüşmek istiyorum"),
        ("vi", "Cho tôi gặp nhân viên hỗ trợ"),
    ] {
        assert_eq!(decide(&kb, text, lang).action, Action::Handoff(Reason::Asked), "{lang}: {text}");
    }
}

#[test]
fn someone_asking_for_the_phrase_is_a_scam_report_in_each_language() {
    for text in [
        "有個自稱客服的人跟我要助記詞",
        "管理者を名乗る人からシードフレーズを教えてと言われました",
        "관리자라는 사람이 시드 문구를 보내 달라고 했어요",
        "Админ в телеграме попросил мою сид-фразу, чтобы решить проблему с выводом",
        "Un administrador me pidió mi frase semilla para arreglar el retiro",
        "O suporte me pediu minha frase de recuperação para liberar o saque",
        "Destek ekibinden biri kurtarma ifademi istedi",
        "Có người tự xưng là admin yêu cầu tôi gửi cụm từ khôi phục",
    ] {
        assert_eq!(scam::read(text), Some(Scam::Report), "{text}");
    }
}

#[test]
fn asking_whether_to_share_the_phrase_is_answered_never_in_each_language() {
    for text in [
        "サポートにシードフレーズを教えても大丈夫ですか？",
        "Можно ли отправить сид-фразу в поддержку?",
        "¿Puedo compartir mi frase semilla con soporte?",
        "Posso compartilhar minha frase de recuperação com o suporte?",
        "Kurtarma ifademi destekle paylaşsam olur mu?",
        "Tôi có nên chia sẻ cụm từ khôi phục cho hỗ trợ không?",
    ] {
        assert_eq!(scam::read(text), Some(Scam::AsksToShare), "{text}");
    }
}

#[test]
fn a_broken_into_account_and_anger_are_read_in_each_language() {
    let kb = kb();
    for text in
        ["Мой аккаунт взломали", "Me hackearon la cuenta", "アカウントが乗っ取られました", "Tài khoản của tôi bị hack"]
    {
        assert!(switchboard_bot::decide::compromised(text), "{text}");
    }
    for (lang, text) in
        [("pt-BR", "Vou chamar meu advogado"), ("ko", "금감원에 민원 넣겠습니다"), ("tr", "Bu bir rezalet")]
    {
        assert_eq!(decide(&kb, text, lang).action, Action::Handoff(Reason::Upset), "{lang}: {text}");
    }
}

#[test]
fn ordinary_questions_in_each_language_trip_no_rule() {
    for text in [
        "入金がまだ反映されていません",
        "출금이 언제 처리되나요?",
        "Когда придёт мой вывод?",
        "¿Cuánto tarda un retiro?",
        "Quanto tempo demora um saque?",
        "Para çekme işlemim ne zaman tamamlanır?",
        "Khi nào tiền rút của tôi về?",
    ] {
        assert_eq!(scam::read(text), None, "{text}");
        assert!(!switchboard_bot::decide::compromised(text), "{text}");
    }
}

fn starter() -> Knowledge {
    Knowledge::build(load_dir(&Path::new(env!("CARGO_MANIFEST_DIR")).join("../kb")).unwrap())
}

/// The starter knowledge base is written in English and Chinese; a question in another
/// language is read by the lexicon's words and answered from the closest language it has,
/// marked as such.
#[test]
fn a_question_in_a_language_without_articles_is_answered_from_another_marked() {
    let kb = starter();
    for (lang, text, topic) in [
        ("ja", "パスワードを忘れてしまいました。どうすればリセットできますか", "reset-password"),
        ("ko", "신분증 인증이 거절되었습니다", "kyc-rejected"),
        ("ru", "Забыл пароль, как его сбросить?", "reset-password"),
        ("es", "Rechazaron mi verificación de identidad", "kyc-rejected"),
        ("pt-BR", "Esqueci minha senha, como faço para redefinir?", "reset-password"),
        ("tr", "Hesabım kilitlendi, giriş yapamıyorum", "account-locked"),
        ("vi", "Tôi chuyển nhầm mạng, phải làm sao?", "deposit-wrong-network"),
    ] {
        let decision = decide(&kb, text, lang);
        let Action::Answer(i) = decision.action else { panic!("{lang}: {text}: {:?}", decision.action) };
        assert_eq!(kb.articles[i].topic, topic, "{lang}: {text}");
        assert!(decision.cross_lingual, "{lang}: the answer is marked as another language's");
    }
}

/// Read by its lexicon words alone, a question is only as sure as the share of it that was
/// read: one shared word ("cuenta", "hesap") answers nothing (at most, articles are offered).
#[test]
fn a_question_in_a_language_without_articles_that_the_knowledge_base_does_not_cover_goes_to_people() {
    let kb = starter();
    for (lang, text) in [
        ("es", "¿Puedo cambiar mi cuenta personal a una cuenta de empresa?"),
        ("pt-BR", "Posso usar minha carteira em dois celulares ao mesmo tempo?"),
        ("ru", "Почему курс биткоина упал?"),
        ("ja", "日本円で入金できますか？"),
        ("ko", "비트코인 가격이 왜 떨어졌나요?"),
        ("tr", "Hesabımın adını değiştirebilir miyim?"),
        ("vi", "Tôi có thể giao dịch hợp đồng tương lai không?"),
    ] {
        let action = decide(&kb, text, lang).action;
        assert!(!matches!(action, Action::Answer(_)), "{lang}: {text}: {action:?}");
    }
}
