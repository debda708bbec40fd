# 面向客户的文字。en-US 中的每个键都必须在这里出现，且变量相同。

ack-new-conversation = 我们已收到您的消息。您的工单号是 { $reference }，客服人员会在这里回复您。我们的工作人员绝不会主动私信您，也绝不会索要您的助记词或私钥。
welcome = 您好！这里是客服中心。请告诉我们发生了什么，我们会帮助您。输入 /help 查看我能做什么。
help =
    您可以直接用自己的话留言。命令：
    /status：查看工单状态
    /human：转人工客服
    /lang 语言代码：切换语言（例如 /lang en-US）
    /link：将此对话与另一个应用中的对话关联
    /verify @账号：核实对方是否真的是我们的工作人员
    /complaint：就您的工单提出正式投诉
    /stop：不再接收公告
lang-changed = 从现在起我会用中文回复您。
lang-unknown = 暂不支持“{ $code }”。可用语言：{ $available }。
status-none = 您还没有工单。直接写下您的问题，我们会为您创建一个。
status-open = 您的工单 { $reference } 正在处理中，客服人员会在这里回复您。
status-pending = 您的工单 { $reference } 正在等待您的回复。
status-resolved = 您的工单 { $reference } 已解决。如仍需帮助，请再次留言。
handoff = 我已请人工客服接手工单 { $reference }，他们会在这里回复您。
secret-redacted =
    请勿向任何人（包括我们）透露您的助记词或私钥：任何索要它的人都是骗子。
    我们已从您的消息中删除它，且没有保存。请立即将资产转移到新钱包，因为它可能已不再安全。

# 网页聊天页面。
webchat-title = 在线客服
webchat-intro = 有任何问题都可以问我们，客服人员通常在 { $within }内回复。
webchat-name-label = 您的称呼（可选）
webchat-start = 开始对话
webchat-placeholder = 输入消息…
webchat-send = 发送
webchat-you = 我
webchat-agent = 客服
webchat-error = 无法连接服务器，正在重试…

# /link：关联客户在多个渠道的身份。
link-code = 您的验证码是 { $code }。请在 15 分钟内，从您联系我们的另一个应用发送 /link { $code }，我们就能把两边的对话合并在一起。
link-done = 已完成：我们现在可以一起看到您在两个应用中的消息。
link-invalid = 该验证码无效或已过期。请发送 /link 获取新的验证码。

# /verify 账号：这个账号是不是我们的工作人员？
verify-usage = 请发送 /verify 加上要核实的账号，例如 /verify @SupportAnn。
verify-staff = 是的：{ $handle } 是我们在 { $channel } 上的工作人员 { $name }。即便如此，工作人员也绝不会索要您的助记词或私钥。
verify-impostor = 警告：{ $handle } 不是我们的工作人员！它在冒充我们在 { $channel } 上的账号 { $real }。请不要回复它、不要给它发送任何东西，也绝不要透露您的助记词。
verify-unknown = { $handle } 不是我们的工作人员。我们的工作人员绝不会主动私信您，也绝不会索要您的助记词或私钥。

# 聊天应用（Telegram 命令菜单）中显示的命令说明。
command-start = 开始与客服对话
command-help = 我能做什么
command-status = 查看工单状态
command-human = 转人工客服
command-lang = 切换语言，例如 /lang en-US
command-verify = 核实某个账号是否真的是我们的工作人员
command-link = 关联您在其他应用中的对话
command-complaint = 提出正式投诉
command-stop = 不再接收公告

# 客户发送的文件超过大小限制。
attachment-too-large = 我们无法保存 { $files }：文件最大为 { $limit }。请发送更小的文件或链接。

# The options of commands that take one.
command-option-code = 代码
command-option-handle = 要核实的账号，例如 @alice

command-name-start = 开始
command-name-help = 帮助
command-name-status = 工单状态
command-name-human = 人工客服
command-name-lang = 语言
command-name-verify = 核实
command-name-link = 关联
command-name-complaint = 投诉
command-name-stop = 退订

bot-did-it-help = 这解决了您的问题吗？
bot-solved-yes = 是的，已解决
bot-solved-no = 没有，我需要人工客服
bot-glad = 很高兴能帮到您！有问题随时再来。
bot-offer = 我找到了几篇可能有帮助的文章，哪一篇和您的问题相符？
bot-cross-lingual = （此回答目前只有其他语言的版本。）
bot-handoff = 已将您的工单 { $reference } 转交给客服团队。客服人员会在这里回复您，通常在 { $within }内；您无需重复发送消息。我们的工作人员绝不会索要您的助记词或私钥。
bot-handoff-off-hours = 已将您的工单 { $reference } 转交给客服团队。现在是非工作时间，客服人员将从 { DATETIME($when, dateStyle: "full", timeStyle: "short") }（{ $zone }）起在这里回复您；您无需重复发送消息。在此期间我仍可以回答一般性问题。我们的工作人员绝不会索要您的助记词或私钥。
message-unreadable = [此消息无法读取或保存，原文未保留；请让客户重新发送。]
redacted-seed-phrase = [已屏蔽：助记词]
redacted-private-key = [已屏蔽：私钥]
response-time = { $unit ->
    [minute] { $n } 分钟
    [day] { $n } 天
   *[hour] { $n } 小时
}
bot-scam-warning = 这是诈骗。任何人——包括我们的工作人员、管理员或所谓的“追回服务”——都不会需要您的助记词、私钥、远程控制您的设备，或要求您付费才能取出资金。请不要透露、不要付款，也不要把钱包连接到对方发来的网站。如果您已经这样做了，请立即把资金转到一个使用新助记词的新钱包。我们的工作人员会查看这个对话。

# One button per rating, 1 to 5.
csat-button-1 = ★
csat-button-2 = ★★
csat-button-3 = ★★★
csat-button-4 = ★★★★
csat-button-5 = ★★★★★
csat-ask = 您的工单 { $reference } 已解决。您对获得的帮助满意吗？请从 1（很差）到 5（非常好）打分。
csat-thanks = 感谢您的评分！如果愿意，可以在下一条消息中告诉我们哪里还能做得更好。
csat-comment-thanks = 谢谢，您的意见已转达给团队。
# The page a link in an e-mail opens to confirm a choice (a rating, "solved"): nothing is
# recorded until its button is pressed.
choice-page-title = 您的回答
choice-page-question = 您对工单 { $reference } 的回答：{ $label }
choice-page-confirm = 提交：{ $label }
choice-page-done = 谢谢！您的回答已记录。
choice-page-already = 您的回答已记录过了，谢谢！
choice-page-invalid = 此链接无效，可能复制不完整。
choice-page-unavailable = 此页面暂时无法使用，请稍后再试。
csat-page-title = 为我们的服务打分
csat-page-question = 您对工单 { $reference } 的评分：{ $label }

## Transaction lookups: the bot's answers when a customer pastes a transaction hash
tx-pending = 您的交易 { $hash } 在 { $network } 上,正在等待打包进区块。打包后需要 { $required } 个确认才能到账,大约还需 { $eta }。
tx-confirming = 您的交易 { $hash } 已在 { $network } 的区块 { $block } 中确认,目前 { $confirmations } 个确认(共需 { $required } 个)。达到 { $required } 个确认后到账,大约还需 { $eta }。
tx-credited = 您的交易 { $hash } 已在 { $network } 上完成(区块 { $block },确认数:{ $confirmations }),不再需要更多确认。
tx-moved = 这笔交易向 { $to } 转出了 { $what }。
tx-not-credited = 链上显示您的交易 { $hash } 已在 { $network } 上完成(确认数:{ $confirmations }),我们的客服人员会核查为什么还没有到账。
tx-failed = 您的交易 { $hash } 在 { $network } 上执行失败(区块 { $block }):资产没有转出,只扣除了网络手续费。
tx-not-found = 在 { $networks } 上都没有找到交易 { $hash }。请确认哈希是否完整、转账是否确实已发出。
tx-wrong-network = 交易 { $hash } 是在 { $found } 上发出的,而不是 { $named }。转错网络的资产需要我们的团队协助找回。
tx-unavailable = 现在无法在链上查询交易 { $hash }。
tx-reorganized = 您的交易 { $hash } 所在的区块已被网络回滚,交易尚未最终确认。
tx-status-pending = 待打包
tx-status-confirmed = 已确认
tx-status-credited = 已完成
tx-status-failed = 失败
tx-status-not_found = 未找到

## Incidents: the bot's answer to a question about one, and every change told to linked customers.
incident-answer =
    我们已经知道这个问题：{ $title }。

    { $message }

    您的工单 { $reference } 已关联到此事件，一有进展我们会在这里通知您，您无需再次留言。
incident-update =
    { $title } 最新进展：{ $status }。

    { $message }
incident-resolved =
    已解决：{ $title }。

    { $message }

    我们已关闭您的工单 { $reference }。如果您这边仍有问题，请直接在这里留言，我们的工作人员会跟进处理。
incident-no-message = 一有更多消息，我们会在这里告知您。
incident-status-suggested = 审核中
incident-status-investigating = 我们正在调查
incident-status-monitoring = 已部署修复，我们正在持续观察
incident-status-resolved = 已解决

## Complaints: each stage told to the customer; /status shows it.
complaint-received = 我们已登记您对工单 { $reference } 的投诉。现已由我们团队的专人负责，您将在 { $due }内收到答复。每一步进展我们都会在这里告知您。
complaint-investigating = 您对工单 { $reference } 的投诉正在调查中。您将在 { $due }内收到答复。
complaint-resolution-proposed = 我们已就您对工单 { $reference } 的投诉提出解决方案。请查看，并在这里告诉我们是否认可。
complaint-closed = 您对工单 { $reference } 的投诉已结案。感谢您的反馈。如果仍有问题，请再次发送 /complaint。
complaint-stage-received = 已受理
complaint-stage-investigating = 调查中
complaint-stage-resolution-proposed = 已提出解决方案
complaint-stage-closed = 已结案
status-complaint = 您对工单 { $reference } 的投诉：{ $stage }。

## /stop: no more announcements.
stop-done = 您将不会再收到我们的公告。这不影响您的工单，我们仍会在这里回复您。

## Peak-load mode: a waiting customer's place in the queue.
queue-place = 目前咨询量较大。您的工单 { $reference } 排在第 { $position } 位，预计约 { $wait }后会有人工客服回复您。您的排队位置会一直保留，无需重复留言。
queue-place-unknown = 目前咨询量较大。您的工单 { $reference } 排在第 { $position } 位，客服一有空闲就会回复您。您的排队位置会一直保留，无需重复留言。

## Announcements: how a customer stops them.
announcement-stop = （这是我们客服团队的公告。发送 /stop 即可不再接收。）
