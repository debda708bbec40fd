# 고객에게 보이는 문구(한국어, 합니다체). en-US의 모든 키가 같은 변수로 여기에도 있어야 합니다.

ack-new-conversation = 메시지를 잘 받았습니다. 문의 번호는 { $reference }이며, 상담원이 이곳에서 답변드립니다. 당사 직원은 먼저 연락드리지 않으며, 복구 문구나 개인 키를 절대 요청하지 않습니다.
welcome = 안녕하세요! 고객지원 센터입니다. 어떤 일이 있었는지 알려 주시면 도와드리겠습니다. /help를 입력하시면 제가 할 수 있는 일을 보실 수 있습니다.
help =
    편하게 직접 작성해 주세요. 명령어:
    /status: 문의 진행 상황 확인
    /human: 상담원 연결
    /lang 코드: 언어 변경 (예: /lang en-US)
    /link: 이 채팅을 다른 앱의 채팅과 연결
    /verify @계정: 상대가 정말 당사 직원인지 확인
    /complaint: 문의에 대해 정식으로 민원 제기
    /stop: 공지 수신 중단
lang-changed = 이제부터 한국어로 답변드리겠습니다.
lang-unknown = “{ $code }”은(는) 아직 지원하지 않습니다. 지원 언어: { $available }.
status-none = 아직 문의 내역이 없습니다. 질문을 남겨 주시면 문의를 접수하겠습니다.
status-open = 문의 { $reference }을(를) 처리하고 있습니다. 상담원이 이곳에서 답변드립니다.
status-pending = 문의 { $reference }은(는) 고객님의 답변을 기다리고 있습니다.
status-resolved = 문의 { $reference }이(가) 해결되었습니다. 도움이 더 필요하시면 다시 메시지를 보내 주세요.
handoff = 문의 { $reference }을(를) 상담원에게 넘겼습니다. 상담원이 이곳에서 답변드립니다.
secret-redacted =
    복구 문구나 개인 키는 당사를 포함해 누구에게도 알려 주지 마세요. 이를 요구하는 사람은 모두 사기꾼입니다.
    보내 주신 메시지에서 삭제했으며 저장하지 않았습니다. 더 이상 안전하지 않을 수 있으니 지금 바로 자산을 새 지갑으로 옮기세요.

# 웹 채팅 페이지.
webchat-title = 고객지원 채팅
webchat-intro = 무엇이든 물어보세요. 보통 { $within } 이내에 상담원이 답변드립니다.
webchat-name-label = 이름 (선택)
webchat-start = 채팅 시작
webchat-placeholder = 메시지를 입력하세요…
webchat-send = 보내기
webchat-you = 나
webchat-agent = 고객지원
webchat-error = 서버에 연결할 수 없습니다. 다시 시도하는 중…

# /link: 여러 채널의 고객 계정을 하나로 연결.
link-code = 인증 코드는 { $code }입니다. 15분 안에 당사에 연락하시는 다른 앱에서 /link { $code }를 보내 주시면 두 대화를 함께 볼 수 있습니다.
link-done = 완료되었습니다. 이제 두 앱에서 보내신 메시지를 함께 볼 수 있습니다.
link-invalid = 알 수 없거나 만료된 코드입니다. /link를 보내 새 코드를 받으세요.

# /verify 계정: 이 계정이 당사 직원인가요?
verify-usage = /verify 뒤에 확인하려는 계정을 붙여 보내 주세요. 예: /verify @SupportAnn
verify-staff = 네, { $handle }은(는) { $channel }의 당사 직원 { $name }입니다. 그래도 직원은 복구 문구나 개인 키를 절대 요청하지 않습니다.
verify-impostor = 경고: { $handle }은(는) 당사 직원이 아닙니다! { $channel }의 당사 계정 { $real }을(를) 사칭하고 있습니다. 답장하지 말고, 아무것도 보내지 말고, 복구 문구를 절대 알려 주지 마세요.
verify-unknown = { $handle }은(는) 당사 직원이 아닙니다. 당사 직원은 먼저 연락드리지 않으며, 복구 문구나 개인 키를 절대 요청하지 않습니다.

# 채팅 앱(Telegram 명령어 메뉴)에 표시되는 명령어 설명.
command-start = 고객지원과 대화 시작
command-help = 제가 할 수 있는 일
command-status = 문의 진행 상황
command-human = 상담원 연결
command-lang = 언어 변경 (예: /lang en-US)
command-verify = 계정이 정말 당사 직원인지 확인
command-link = 다른 앱의 채팅과 연결
command-complaint = 정식 민원 제기
command-stop = 공지 수신 중단

# 고객이 보낸 파일이 크기 제한을 넘은 경우.
attachment-too-large = { $files }을(를) 저장하지 못했습니다. 파일은 최대 { $limit }까지 가능합니다. 더 작은 파일이나 링크를 보내 주세요.

# 인자를 받는 명령어의 인자 설명.
command-option-code = 코드
command-option-handle = 확인할 계정 (예: @alice)

# Discord에서 번역되어 표시되는 명령어 이름.
command-name-start = 시작
command-name-help = 도움말
command-name-status = 진행상황
command-name-human = 상담원
command-name-lang = 언어
command-name-verify = 직원확인
command-name-link = 연결
command-name-complaint = 민원
command-name-stop = 수신거부

# 고객지원 봇
bot-did-it-help = 문제가 해결되었나요?
bot-solved-yes = 네, 해결됐어요
bot-solved-no = 아니요, 상담원이 필요해요
bot-glad = 도움이 되어 기쁩니다! 언제든 다시 문의해 주세요.
bot-offer = 도움이 될 만한 글을 몇 개 찾았습니다. 어떤 글이 질문과 맞나요?
bot-cross-lingual = (이 답변은 현재 다른 언어로만 제공됩니다.)
bot-handoff = 문의 { $reference }을(를) 고객지원팀에 전달했습니다. 보통 { $within } 이내에 상담원이 이곳에서 답변드리며, 다시 메시지를 보내실 필요는 없습니다. 당사 직원은 복구 문구나 개인 키를 절대 요청하지 않습니다.
bot-handoff-off-hours = 문의 { $reference }을(를) 고객지원팀에 전달했습니다. 지금은 업무 시간이 아니어서 { DATETIME($when, dateStyle: "full", timeStyle: "short") } ({ $zone })부터 상담원이 이곳에서 답변드리며, 다시 메시지를 보내실 필요는 없습니다. 그동안 일반적인 질문에는 제가 답변드릴 수 있습니다. 당사 직원은 복구 문구나 개인 키를 절대 요청하지 않습니다.
message-unreadable = [이 메시지는 읽거나 저장할 수 없었습니다. 원문은 보관하지 않았으니 고객에게 다시 보내 달라고 요청하세요.]
redacted-seed-phrase = [삭제됨: 복구 문구]
redacted-private-key = [삭제됨: 개인 키]
response-time = { $unit ->
    [minute] { $n }분
    [day] { $n }일
   *[hour] { $n }시간
}
bot-scam-warning = 이것은 사기입니다. 당사 직원, 관리자, 이른바 “자산 복구 업체”를 포함해 그 누구도 복구 문구, 개인 키, 기기 원격 제어, 자금 인출을 위한 수수료를 요구할 일이 없습니다. 알려 주지 말고, 돈을 보내지 말고, 상대가 보낸 사이트에 지갑을 연결하지 마세요. 이미 그렇게 하셨다면 지금 바로 새 복구 문구로 만든 새 지갑으로 자산을 옮기세요. 당사 담당자가 이 대화를 확인하겠습니다.

# 평점별 버튼, 1~5.
csat-button-1 = ★
csat-button-2 = ★★
csat-button-3 = ★★★
csat-button-4 = ★★★★
csat-button-5 = ★★★★★
csat-ask = 문의 { $reference }이(가) 해결되었습니다. 받으신 도움에 얼마나 만족하시나요? 1(불만족)부터 5(매우 만족)까지 평가해 주세요.
csat-thanks = 평가해 주셔서 감사합니다! 괜찮으시다면 다음 메시지로 개선할 점을 알려 주세요.
csat-comment-thanks = 감사합니다. 의견이 팀에 전달되었습니다.
# 이메일 링크로 여는 확인 페이지: 버튼을 누르기 전에는 아무것도 기록되지 않습니다.
choice-page-title = 답변
choice-page-question = 문의 { $reference }에 대한 답변: { $label }
choice-page-confirm = 보내기: { $label }
choice-page-done = 감사합니다! 답변이 기록되었습니다.
choice-page-already = 답변이 이미 기록되었습니다. 감사합니다!
choice-page-invalid = 유효하지 않은 링크입니다. 일부만 복사되었을 수 있습니다.
choice-page-unavailable = 잠시 이 페이지를 이용할 수 없습니다. 잠시 후 다시 시도해 주세요.
csat-page-title = 고객지원 평가
csat-page-question = 문의 { $reference }에 대한 평가: { $label }

## 거래 조회: 고객이 거래 해시를 붙여 넣었을 때 봇의 답변
tx-pending = 고객님의 거래 { $hash }은(는) { $network }에서 블록에 포함되기를 기다리고 있습니다. 포함된 뒤 { $required }번의 컨펌이 있어야 입금되며, 약 { $eta } 정도 남았습니다.
tx-confirming = 고객님의 거래 { $hash }은(는) { $network }의 블록 { $block }에서 컨펌되었으며, 필요한 { $required }번 중 { $confirmations }번 컨펌되었습니다. { $required }번 컨펌 후, 약 { $eta } 뒤에 입금됩니다.
tx-credited = 고객님의 거래 { $hash }은(는) { $network }에서 완료되었습니다(블록 { $block }, 컨펌 수: { $confirmations }). 더 이상 컨펌이 필요하지 않습니다.
tx-moved = 이 거래로 { $what }이(가) { $to }(으)로 전송되었습니다.
tx-not-credited = 네트워크상으로는 거래 { $hash }이(가) { $network }에서 완료되었습니다(컨펌 수: { $confirmations }). 아직 입금되지 않은 이유를 담당자가 확인하겠습니다.
tx-failed = 고객님의 거래 { $hash }은(는) { $network }에서 실패했습니다(블록 { $block }). 전송된 자산은 없으며 네트워크 수수료만 사용되었습니다.
tx-not-found = { $networks }에서 거래 { $hash }을(를) 찾지 못했습니다. 해시가 완전한지, 송금이 실제로 전송되었는지 확인해 주세요.
tx-wrong-network = 거래 { $hash }은(는) { $named }이(가) 아니라 { $found }에서 전송되었습니다. 잘못된 네트워크로 보낸 자산은 당사 팀의 도움을 받아야 되찾을 수 있습니다.
tx-unavailable = 지금은 네트워크에서 거래 { $hash }을(를) 확인할 수 없습니다.
tx-reorganized = 거래 { $hash }이(가) 포함된 블록이 네트워크에서 제외되어 아직 최종 확정되지 않았습니다.
tx-status-pending = 대기 중
tx-status-confirmed = 컨펌됨
tx-status-credited = 확정
tx-status-failed = 실패
tx-status-not_found = 찾을 수 없음

## 장애 공지: 관련 질문에 대한 봇의 답변과, 연결된 고객에게 보내는 업데이트.
incident-answer =
    이 문제를 파악하고 있습니다: { $title }.

    { $message }

    문의 { $reference }을(를) 이 건에 연결해 두었으며, 상황이 바뀌는 대로 이곳에서 알려 드리겠습니다. 다시 메시지를 보내실 필요는 없습니다.
incident-update =
    { $title } 진행 상황: { $status }.

    { $message }
incident-resolved =
    해결되었습니다: { $title }.

    { $message }

    문의 { $reference }을(를) 종료했습니다. 아직 문제가 남아 있다면 이곳에 메시지를 남겨 주세요. 담당자가 확인하겠습니다.
incident-no-message = 더 알게 되는 대로 이곳에서 알려 드리겠습니다.
incident-status-suggested = 검토 중
incident-status-investigating = 조사 중입니다
incident-status-monitoring = 수정 사항을 적용하고 모니터링 중입니다
incident-status-resolved = 해결됨

## 민원: 각 단계를 고객에게 알리고, /status로 현재 단계를 보여 줍니다.
complaint-received = 문의 { $reference }에 대한 민원이 접수되었습니다. 당사 팀의 담당자가 책임지고 처리하며, { $due } 이내에 답변드리겠습니다. 각 단계마다 이곳에서 알려 드리겠습니다.
complaint-investigating = 문의 { $reference }에 대한 민원을 조사하고 있습니다. { $due } 이내에 답변드리겠습니다.
complaint-resolution-proposed = 문의 { $reference }에 대한 민원의 해결 방안을 제안드렸습니다. 확인하신 뒤 받아들이실지 이곳에서 알려 주세요.
complaint-closed = 문의 { $reference }에 대한 민원 처리가 종료되었습니다. 말씀해 주셔서 감사합니다. 아직 해결되지 않은 점이 있다면 /complaint를 다시 보내 주세요.
complaint-stage-received = 접수됨
complaint-stage-investigating = 조사 중
complaint-stage-resolution-proposed = 해결 방안 제안됨
complaint-stage-closed = 종료됨
status-complaint = 문의 { $reference }에 대한 민원: { $stage }.

## /stop: 공지 수신 중단.
stop-done = 앞으로 당사의 공지를 보내 드리지 않습니다. 문의에는 영향이 없으며, 계속 이곳에서 답변드립니다.

## 혼잡 모드: 대기 중인 고객의 대기 순서.
queue-place = 현재 문의가 평소보다 많습니다. 문의 { $reference }은(는) 대기 { $position }번째이며, 약 { $wait } 후에 상담원이 답변드릴 예정입니다. 대기 순서는 그대로 유지되니 다시 메시지를 보내실 필요는 없습니다.
queue-place-unknown = 현재 문의가 평소보다 많습니다. 문의 { $reference }은(는) 대기 { $position }번째이며, 상담원이 비는 대로 바로 답변드리겠습니다. 대기 순서는 그대로 유지되니 다시 메시지를 보내실 필요는 없습니다.

## 공지: 수신 중단 방법.
announcement-stop = (고객지원팀의 공지입니다. 더 이상 받지 않으시려면 /stop을 보내 주세요.)
