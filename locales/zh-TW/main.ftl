# 面向客戶的文字（台灣、香港使用的繁體中文）。en-US 的每個鍵都必須在這裡出現，且變數相同。

ack-new-conversation = 我們已收到您的訊息。您的工單編號是 { $reference }，客服人員會在這裡回覆您。我們的工作人員絕不會主動私訊您，也絕不會向您索取助記詞或私鑰。
welcome = 您好！這裡是客服中心。請告訴我們發生了什麼事，我們會協助您。輸入 /help 可查看我能做什麼。
help =
    您可以直接用自己的話留言。指令：
    /status：查看工單狀態
    /human：轉接真人客服
    /lang 語言代碼：切換語言（例如 /lang en-US）
    /link：將這個對話與另一個 App 裡的對話連結
    /verify @帳號：確認對方是否真的是我們的工作人員
    /complaint：針對您的工單提出正式申訴
    /stop：不再接收公告
lang-changed = 之後我會用繁體中文回覆您。
lang-unknown = 目前還不支援「{ $code }」。可用的語言：{ $available }。
status-none = 您目前還沒有工單。直接寫下您的問題，我們就會為您建立一張。
status-open = 您的工單 { $reference } 正在處理中，客服人員會在這裡回覆您。
status-pending = 您的工單 { $reference } 正在等候您的回覆。
status-resolved = 您的工單 { $reference } 已解決。若仍需要協助，請再次留言。
handoff = 我已請真人客服接手工單 { $reference }，他們會在這裡回覆您。
secret-redacted =
    請勿向任何人（包括我們）透露您的助記詞或私鑰：任何向您索取的人都是詐騙。
    我們已將它從您的訊息中刪除，且沒有儲存。請立即將資產轉移到新的錢包，因為它可能已經不再安全。

# 網頁聊天頁面。
webchat-title = 線上客服
webchat-intro = 有任何問題都歡迎詢問，客服人員通常會在 { $within }內回覆。
webchat-name-label = 您的稱呼（選填）
webchat-start = 開始對話
webchat-placeholder = 輸入訊息…
webchat-send = 送出
webchat-you = 我
webchat-agent = 客服
webchat-error = 無法連線到伺服器，正在重試…

# /link：連結客戶在多個管道的身分。
link-code = 您的驗證碼是 { $code }。請在 15 分鐘內，從您聯絡我們的另一個 App 傳送 /link { $code }，我們就能把兩邊的對話合併在一起。
link-done = 完成：我們現在可以一起看到您在兩個 App 中的訊息。
link-invalid = 這個驗證碼無效或已過期。請傳送 /link 取得新的驗證碼。

# /verify 帳號：這個帳號是不是我們的工作人員？
verify-usage = 請傳送 /verify 加上要確認的帳號，例如 /verify @SupportAnn。
verify-staff = 是的：{ $handle } 是我們在 { $channel } 上的工作人員 { $name }。即便如此，工作人員也絕不會向您索取助記詞或私鑰。
verify-impostor = 警告：{ $handle } 不是我們的工作人員！它正在冒充我們在 { $channel } 上的帳號 { $real }。請不要回覆、不要傳送任何東西給它，也絕對不要透露您的助記詞。
verify-unknown = { $handle } 不是我們的工作人員。我們的工作人員絕不會主動私訊您，也絕不會向您索取助記詞或私鑰。

# 聊天 App（Telegram 指令選單）中顯示的指令說明。
command-start = 開始與客服對話
command-help = 我能做什麼
command-status = 查看工單狀態
command-human = 轉接真人客服
command-lang = 切換語言，例如 /lang en-US
command-verify = 確認某個帳號是否真的是我們的工作人員
command-link = 連結您在其他 App 中的對話
command-complaint = 提出正式申訴
command-stop = 不再接收公告

# 客戶傳送的檔案超過大小限制。
attachment-too-large = 我們無法保存 { $files }：檔案最大為 { $limit }。請傳送較小的檔案或連結。

# 需要參數的指令的參數說明。
command-option-code = 驗證碼
command-option-handle = 要確認的帳號，例如 @alice

# Discord 上翻譯後顯示的指令名稱。
command-name-start = 開始
command-name-help = 說明
command-name-status = 工單狀態
command-name-human = 真人客服
command-name-lang = 語言
command-name-verify = 確認身分
command-name-link = 連結
command-name-complaint = 申訴
command-name-stop = 取消訂閱

# 客服機器人
bot-did-it-help = 這有解決您的問題嗎？
bot-solved-yes = 有，已解決
bot-solved-no = 沒有，我需要真人客服
bot-glad = 很高興能幫上忙！有任何問題隨時再來找我們。
bot-offer = 我找到幾篇可能有幫助的文章，哪一篇和您的問題相符？
bot-cross-lingual = （這個回答目前只有其他語言的版本。）
bot-handoff = 已將您的工單 { $reference } 轉交給客服團隊。客服人員會在這裡回覆您，通常在 { $within }內；您不需要重複傳送訊息。我們的工作人員絕不會向您索取助記詞或私鑰。
bot-handoff-off-hours = 已將您的工單 { $reference } 轉交給客服團隊。現在是非上班時間，客服人員將從 { DATETIME($when, dateStyle: "full", timeStyle: "short") }（{ $zone }）起在這裡回覆您；您不需要重複傳送訊息。在這段期間，我仍可以回答一般問題。我們的工作人員絕不會向您索取助記詞或私鑰。
message-unreadable = [這則訊息無法讀取或儲存，原文未保留；請客戶重新傳送。]
redacted-seed-phrase = [已遮蔽：助記詞]
redacted-private-key = [已遮蔽：私鑰]
response-time = { $unit ->
    [minute] { $n } 分鐘
    [day] { $n } 天
   *[hour] { $n } 小時
}
bot-scam-warning = 這是詐騙。任何人——包括我們的工作人員、管理員或所謂的「追回服務」——都不會需要您的助記詞、私鑰、遠端操控您的裝置，或要您付費才能領出資金。請不要透露、不要付款，也不要把錢包連接到對方傳來的網站。如果您已經這樣做了，請立刻把資產轉到使用新助記詞的新錢包。我們的工作人員會查看這個對話。

# 每個評分一個按鈕，1 到 5。
csat-button-1 = ★
csat-button-2 = ★★
csat-button-3 = ★★★
csat-button-4 = ★★★★
csat-button-5 = ★★★★★
csat-ask = 您的工單 { $reference } 已解決。您對這次獲得的協助滿意嗎？請從 1（很差）到 5（非常好）評分。
csat-thanks = 感謝您的評分！如果願意，可以在下一則訊息告訴我們哪裡還能做得更好。
csat-comment-thanks = 謝謝，您的意見已轉達給團隊。
# 電子郵件中的連結開啟的確認頁面：按下按鈕前不會記錄任何內容。
choice-page-title = 您的回答
choice-page-question = 您對工單 { $reference } 的回答：{ $label }
choice-page-confirm = 送出：{ $label }
choice-page-done = 謝謝！您的回答已記錄。
choice-page-already = 您的回答先前已記錄，謝謝！
choice-page-invalid = 這個連結無效，可能沒有複製完整。
choice-page-unavailable = 此頁面暫時無法使用，請稍後再試。
csat-page-title = 為我們的服務評分
csat-page-question = 您對工單 { $reference } 的評分：{ $label }

## 交易查詢：客戶貼上交易雜湊時機器人的回答
tx-pending = 您的交易 { $hash } 在 { $network } 上，正在等待被打包進區塊。打包後需要 { $required } 個確認才會入帳，大約還需要 { $eta }。
tx-confirming = 您的交易 { $hash } 已在 { $network } 的區塊 { $block } 中確認，目前有 { $confirmations } 個確認（共需 { $required } 個）。達到 { $required } 個確認後就會入帳，大約還需要 { $eta }。
tx-credited = 您的交易 { $hash } 已在 { $network } 上完成（區塊 { $block }，確認數：{ $confirmations }），不需要再等待更多確認。
tx-moved = 這筆交易將 { $what } 轉到了 { $to }。
tx-not-credited = 鏈上顯示您的交易 { $hash } 已在 { $network } 上完成（確認數：{ $confirmations }），我們的客服人員會查明為什麼還沒有入帳。
tx-failed = 您的交易 { $hash } 在 { $network } 上執行失敗（區塊 { $block }）：資產沒有轉出，只扣除了網路手續費。
tx-not-found = 在 { $networks } 上都找不到交易 { $hash }。請確認雜湊是否完整，以及轉帳是否真的已送出。
tx-wrong-network = 交易 { $hash } 是在 { $found } 上送出的，而不是 { $named }。轉錯網路的資產需要我們的團隊協助找回。
tx-unavailable = 目前無法在鏈上查詢交易 { $hash }。
tx-reorganized = 您的交易 { $hash } 所在的區塊已被網路回滾，交易尚未最終確認。
tx-status-pending = 等待打包
tx-status-confirmed = 已確認
tx-status-credited = 已完成
tx-status-failed = 失敗
tx-status-not_found = 找不到

## 事件：機器人對相關問題的回答，以及每次更新時通知已連結的客戶。
incident-answer =
    我們已經掌握這個狀況：{ $title }。

    { $message }

    您的工單 { $reference } 已連結到此事件，一有任何進展，我們會在這裡通知您，您不需要再次留言。
incident-update =
    { $title } 最新進度：{ $status }。

    { $message }
incident-resolved =
    已解決：{ $title }。

    { $message }

    我們已關閉您的工單 { $reference }。如果您這邊仍有問題，請直接在這裡留言，我們的工作人員會接手處理。
incident-no-message = 一有更多消息，我們會在這裡告訴您。
incident-status-suggested = 審核中
incident-status-investigating = 我們正在調查
incident-status-monitoring = 修復已上線，我們正在持續觀察
incident-status-resolved = 已解決

## 申訴：每個階段都會通知客戶；/status 會顯示目前階段。
complaint-received = 我們已受理您對工單 { $reference } 的申訴，現已由團隊專人負責，您將在 { $due }內收到答覆。每個處理階段我們都會在這裡通知您。
complaint-investigating = 您對工單 { $reference } 的申訴正在調查中。您將在 { $due }內收到答覆。
complaint-resolution-proposed = 我們已針對您對工單 { $reference } 的申訴提出解決方案。請您查看，並在這裡告訴我們是否接受。
complaint-closed = 您對工單 { $reference } 的申訴已結案。感謝您的回饋。若仍有問題，請再次傳送 /complaint。
complaint-stage-received = 已受理
complaint-stage-investigating = 調查中
complaint-stage-resolution-proposed = 已提出解決方案
complaint-stage-closed = 已結案
status-complaint = 您對工單 { $reference } 的申訴：{ $stage }。

## /stop：不再接收公告。
stop-done = 您之後將不會再收到我們的公告。這不會影響您的工單，我們仍會在這裡回覆您。

## 尖峰模式：等候中的客戶在佇列中的順位。
queue-place = 目前諮詢量比平常多。您的工單 { $reference } 排在第 { $position } 位，預計約 { $wait }後會有真人客服回覆您。您的順位會一直保留，不需要重複留言。
queue-place-unknown = 目前諮詢量比平常多。您的工單 { $reference } 排在第 { $position } 位，客服一有空就會回覆您。您的順位會一直保留，不需要重複留言。

## 公告：客戶如何停止接收。
announcement-stop = （這是客服團隊的公告。傳送 /stop 即可不再接收。）
