# お客様向けの文言（日本語、です・ます調）。en-US のすべてのキーが、同じ変数で、ここにも必要です。

ack-new-conversation = メッセージを受け付けました。お問い合わせ番号は { $reference } です。担当者がこちらでご返信します。当社スタッフからお客様に先に連絡することはなく、リカバリーフレーズや秘密鍵をお尋ねすることも決してありません。
welcome = こんにちは。サポート窓口です。どのようなことが起きたかお知らせください。お手伝いいたします。/help と入力すると、できることの一覧をご覧いただけます。
help =
    ご自身の言葉でそのままお書きください。コマンド：
    /status：お問い合わせの状況を確認
    /human：担当者（人）に代わる
    /lang コード：言語を変更（例：/lang en-US）
    /link：このチャットを別のアプリのチャットとつなげる
    /verify @アカウント：相手が本当に当社スタッフか確認
    /complaint：お問い合わせについて正式に苦情を申し立てる
    /stop：お知らせの配信を停止
lang-changed = これからは日本語でご返信します。
lang-unknown = 「{ $code }」にはまだ対応していません。対応言語：{ $available }。
status-none = まだお問い合わせはありません。ご質問をお書きいただければ、お問い合わせを作成します。
status-open = お問い合わせ { $reference } は対応中です。担当者がこちらでご返信します。
status-pending = お問い合わせ { $reference } はお客様のご返信をお待ちしています。
status-resolved = お問い合わせ { $reference } は解決済みです。まだお困りの場合は、もう一度メッセージをお送りください。
handoff = お問い合わせ { $reference } を担当者に引き継ぎました。担当者がこちらでご返信します。
secret-redacted =
    リカバリーフレーズや秘密鍵は、当社を含め誰にも教えないでください。それを求める人は詐欺師です。
    お送りいただいたメッセージから削除し、保存もしていません。安全でなくなっている可能性があるため、今すぐ資産を新しいウォレットに移してください。

# ウェブチャットのページ。
webchat-title = サポートチャット
webchat-intro = 何でもお気軽にご質問ください。通常 { $within }以内に担当者がお答えします。
webchat-name-label = お名前（任意）
webchat-start = チャットを始める
webchat-placeholder = メッセージを入力…
webchat-send = 送信
webchat-you = あなた
webchat-agent = サポート
webchat-error = サーバーに接続できません。再接続しています…

# /link：複数のチャネルのお客様の ID をつなげる。
link-code = コードは { $code } です。15 分以内に、当社へのご連絡に使っているもう一つのアプリから /link { $code } を送信してください。両方の会話をまとめて確認できるようになります。
link-done = 完了しました。両方のアプリからのメッセージをまとめて確認できるようになりました。
link-invalid = このコードは無効か、有効期限が切れています。/link を送信して新しいコードを取得してください。

# /verify アカウント：そのアカウントは当社スタッフか。
verify-usage = /verify のあとに確認したいアカウントを続けて送信してください。例：/verify @SupportAnn
verify-staff = はい、{ $handle } は { $channel } での当社スタッフ（{ $name }）です。それでも、スタッフがリカバリーフレーズや秘密鍵をお尋ねすることは決してありません。
verify-impostor = 警告：{ $handle } は当社スタッフではありません。{ $channel } の当社アカウント { $real } になりすましています。返信せず、何も送らず、リカバリーフレーズは絶対に教えないでください。
verify-unknown = { $handle } は当社スタッフではありません。当社スタッフからお客様に先に連絡することはなく、リカバリーフレーズや秘密鍵をお尋ねすることも決してありません。

# チャットアプリ（Telegram のコマンドメニュー）に表示されるコマンドの説明。
command-start = サポートとの会話を始める
command-help = できること
command-status = お問い合わせの状況
command-human = 担当者に代わる
command-lang = 言語を変更（例：/lang en-US）
command-verify = アカウントが本当に当社スタッフか確認
command-link = ほかのアプリのチャットとつなげる
command-complaint = 正式に苦情を申し立てる
command-stop = お知らせの配信を停止

# お客様が送ったファイルがサイズ上限を超えた場合。
attachment-too-large = { $files } を保存できませんでした。ファイルは { $limit } までです。より小さいファイルかリンクをお送りください。

# 引数を取るコマンドの引数の説明。
command-option-code = コード
command-option-handle = 確認するアカウント（例：@alice）

# Discord で翻訳して表示されるコマンド名。
command-name-start = 開始
command-name-help = ヘルプ
command-name-status = 状況
command-name-human = 担当者
command-name-lang = 言語
command-name-verify = 本人確認
command-name-link = 連携
command-name-complaint = 苦情
command-name-stop = 配信停止

# サポートボット
bot-did-it-help = こちらで解決しましたか？
bot-solved-yes = はい、解決しました
bot-solved-no = いいえ、担当者と話したいです
bot-glad = お役に立ててよかったです。いつでもまたご連絡ください。
bot-offer = お役に立ちそうな記事がいくつか見つかりました。どれがご質問に当てはまりますか？
bot-cross-lingual = （この回答は現在、ほかの言語でのみご用意しています。）
bot-handoff = お問い合わせ { $reference } をサポートチームに引き継ぎました。通常 { $within }以内に、担当者がこちらでご返信します。再度メッセージをお送りいただく必要はありません。当社スタッフがリカバリーフレーズや秘密鍵をお尋ねすることは決してありません。
bot-handoff-off-hours = お問い合わせ { $reference } をサポートチームに引き継ぎました。ただいま営業時間外のため、{ DATETIME($when, dateStyle: "full", timeStyle: "short") }（{ $zone }）以降に担当者がこちらでご返信します。再度メッセージをお送りいただく必要はありません。それまでの間も、一般的なご質問にはお答えできます。当社スタッフがリカバリーフレーズや秘密鍵をお尋ねすることは決してありません。
message-unreadable = [このメッセージは読み取りも保存もできませんでした。本文は保持していません。お客様に再送をご依頼ください。]
redacted-seed-phrase = [削除済み：リカバリーフレーズ]
redacted-private-key = [削除済み：秘密鍵]
response-time = { $unit ->
    [minute] { $n } 分
    [day] { $n } 日
   *[hour] { $n } 時間
}
bot-scam-warning = これは詐欺です。当社スタッフ、管理者、いわゆる「資産回復サービス」を含め、誰であってもリカバリーフレーズ、秘密鍵、端末の遠隔操作、資金を引き出すための手数料を必要とすることはありません。教えたり、支払ったり、相手から送られたサイトにウォレットを接続したりしないでください。すでにしてしまった場合は、今すぐ新しいリカバリーフレーズの新しいウォレットに資産を移してください。この会話は当社の担当者が確認します。

# 評価ごとのボタン（1〜5）。
csat-button-1 = ★
csat-button-2 = ★★
csat-button-3 = ★★★
csat-button-4 = ★★★★
csat-button-5 = ★★★★★
csat-ask = お問い合わせ { $reference } は解決しました。今回のサポートにどの程度ご満足いただけましたか？ 1（不満）から 5（大変満足）で評価してください。
csat-thanks = ご評価ありがとうございます。よろしければ、次のメッセージで改善できる点をお聞かせください。
csat-comment-thanks = ありがとうございます。ご意見はチームに届きました。
# メールのリンクから開く確認ページ。ボタンを押すまでは何も記録されません。
choice-page-title = ご回答
choice-page-question = お問い合わせ { $reference } へのご回答：{ $label }
choice-page-confirm = 送信：{ $label }
choice-page-done = ありがとうございます。ご回答を記録しました。
choice-page-already = ご回答はすでに記録されています。ありがとうございます。
choice-page-invalid = このリンクは無効です。一部しかコピーされていない可能性があります。
choice-page-unavailable = このページは現在ご利用いただけません。しばらくしてからもう一度お試しください。
csat-page-title = サポートの評価
csat-page-question = お問い合わせ { $reference } の評価：{ $label }

## 取引の照会：お客様が取引ハッシュを貼り付けたときのボットの回答
tx-pending = お客様の取引 { $hash } は { $network } 上でブロックへの取り込みを待っています。取り込まれた後、{ $required } 回の承認で入金されます。あと約 { $eta }です。
tx-confirming = お客様の取引 { $hash } は { $network } のブロック { $block } で承認され、現在 { $required } 回中 { $confirmations } 回の承認があります。{ $required } 回の承認後、約 { $eta }で入金されます。
tx-credited = お客様の取引 { $hash } は { $network } 上で完了しています（ブロック { $block }、承認数：{ $confirmations }）。これ以上の承認は必要ありません。
tx-moved = この取引で { $what } が { $to } に送られました。
tx-not-credited = ネットワーク上ではお客様の取引 { $hash } は { $network } で完了しています（承認数：{ $confirmations }）。入金されていない理由を担当者が確認いたします。
tx-failed = お客様の取引 { $hash } は { $network } 上で失敗しました（ブロック { $block }）。送金は行われず、ネットワーク手数料のみが消費されています。
tx-not-found = { $networks } のいずれでも取引 { $hash } が見つかりませんでした。ハッシュが欠けていないか、送金が実際に送信されたかをご確認ください。
tx-wrong-network = 取引 { $hash } は { $named } ではなく { $found } で送信されています。異なるネットワークに送られた資産の回収には、当社チームによる対応が必要です。
tx-unavailable = 現在、ネットワーク上で取引 { $hash } を確認できません。
tx-reorganized = お客様の取引 { $hash } が含まれていたブロックがネットワークから外れたため、まだ確定していません。
tx-status-pending = 承認待ち
tx-status-confirmed = 承認済み
tx-status-credited = 確定
tx-status-failed = 失敗
tx-status-not_found = 見つかりません

## 障害情報：関連する質問へのボットの回答と、紐づいたお客様への更新のお知らせ。
incident-answer =
    この件は把握しております：{ $title }。

    { $message }

    お問い合わせ { $reference } はこの件に紐づけました。状況が変わり次第、こちらでお知らせします。再度メッセージをお送りいただく必要はありません。
incident-update =
    { $title } の最新状況：{ $status }。

    { $message }
incident-resolved =
    解決しました：{ $title }。

    { $message }

    お問い合わせ { $reference } はクローズしました。まだ問題が残っている場合は、こちらにメッセージをお送りください。担当者が確認いたします。
incident-no-message = 詳しいことが分かり次第、こちらでお知らせします。
incident-status-suggested = 確認中
incident-status-investigating = 調査中です
incident-status-monitoring = 修正を適用し、経過を監視しています
incident-status-resolved = 解決済み

## 苦情：各段階をお客様にお知らせし、/status で現在の段階を表示します。
complaint-received = お問い合わせ { $reference } に関する苦情を受け付けました。当社チームの担当者が責任を持って対応し、{ $due }以内にご回答します。各段階でこちらにお知らせします。
complaint-investigating = お問い合わせ { $reference } に関する苦情を調査しています。{ $due }以内にご回答します。
complaint-resolution-proposed = お問い合わせ { $reference } に関する苦情について、解決策をご提案しました。内容をご確認のうえ、ご納得いただけるかこちらでお知らせください。
complaint-closed = お問い合わせ { $reference } に関する苦情の対応を終了しました。ご連絡いただきありがとうございました。まだ解決していない点があれば、もう一度 /complaint をお送りください。
complaint-stage-received = 受付済み
complaint-stage-investigating = 調査中
complaint-stage-resolution-proposed = 解決策をご提案済み
complaint-stage-closed = 対応終了
status-complaint = お問い合わせ { $reference } に関する苦情：{ $stage }。

## /stop：お知らせの配信停止。
stop-done = 今後、当社からのお知らせは配信されません。お問い合わせには影響はなく、引き続きこちらでご返信します。

## 混雑時モード：お待ちのお客様の順番。
queue-place = ただいま大変混み合っております。お問い合わせ { $reference } は現在 { $position } 番目で、約 { $wait }後に担当者がご返信する見込みです。順番はそのまま保たれますので、再度メッセージをお送りいただく必要はありません。
queue-place-unknown = ただいま大変混み合っております。お問い合わせ { $reference } は現在 { $position } 番目です。担当者の手が空き次第ご返信します。順番はそのまま保たれますので、再度メッセージをお送りいただく必要はありません。

## お知らせ：配信の停止方法。
announcement-stop = （サポートチームからのお知らせです。配信を停止するには /stop を送信してください。）
