# Văn bản dành cho khách hàng (tiếng Việt, xưng "chúng tôi" – "Quý khách"). Mọi khóa của en-US phải có ở đây, với cùng các biến.

ack-new-conversation = Chúng tôi đã nhận được tin nhắn của Quý khách. Mã yêu cầu của Quý khách là { $reference }; nhân viên hỗ trợ sẽ trả lời tại đây. Nhân viên của chúng tôi không bao giờ nhắn tin trước và không bao giờ hỏi cụm từ khôi phục hay khóa riêng tư của Quý khách.
welcome = Xin chào! Đây là bộ phận hỗ trợ. Quý khách hãy cho chúng tôi biết chuyện gì đã xảy ra, chúng tôi sẽ giúp. Gõ /help để xem những gì tôi có thể làm.
help =
    Quý khách có thể viết bằng lời của mình. Các lệnh:
    /status: tình trạng yêu cầu của Quý khách
    /human: gặp nhân viên hỗ trợ
    /lang MÃ: đổi ngôn ngữ (ví dụ /lang en-US)
    /link: liên kết cuộc trò chuyện này với cuộc trò chuyện trong ứng dụng khác
    /verify @tàikhoản: kiểm tra xem ai đó có thật là nhân viên của chúng tôi không
    /complaint: gửi khiếu nại chính thức về yêu cầu của Quý khách
    /stop: ngừng nhận thông báo
lang-changed = Từ bây giờ tôi sẽ trả lời Quý khách bằng tiếng Việt.
lang-unknown = Hiện chưa hỗ trợ "{ $code }". Ngôn ngữ có sẵn: { $available }.
status-none = Quý khách chưa có yêu cầu nào. Hãy viết câu hỏi, chúng tôi sẽ tạo yêu cầu cho Quý khách.
status-open = Yêu cầu { $reference } của Quý khách đang được xử lý; nhân viên sẽ trả lời tại đây.
status-pending = Yêu cầu { $reference } của Quý khách đang chờ Quý khách phản hồi.
status-resolved = Yêu cầu { $reference } của Quý khách đã được giải quyết. Nếu vẫn cần hỗ trợ, Quý khách hãy nhắn lại.
handoff = Tôi đã nhờ nhân viên tiếp nhận yêu cầu { $reference }. Họ sẽ trả lời tại đây.
secret-redacted =
    Tuyệt đối không chia sẻ cụm từ khôi phục hay khóa riêng tư với bất kỳ ai, kể cả chúng tôi: ai hỏi những thứ đó đều là kẻ lừa đảo.
    Chúng tôi đã xóa nó khỏi tin nhắn và không lưu lại. Quý khách hãy chuyển tài sản sang ví mới ngay, vì ví hiện tại có thể không còn an toàn.

# Trang trò chuyện trên web.
webchat-title = Trò chuyện hỗ trợ
webchat-intro = Quý khách cứ hỏi bất cứ điều gì. Nhân viên thường trả lời trong vòng { $within }.
webchat-name-label = Tên của Quý khách (không bắt buộc)
webchat-start = Bắt đầu trò chuyện
webchat-placeholder = Nhập tin nhắn…
webchat-send = Gửi
webchat-you = Quý khách
webchat-agent = Hỗ trợ
webchat-error = Không kết nối được máy chủ. Đang thử lại…

# /link: liên kết các danh tính khách hàng dùng trên nhiều kênh.
link-code = Mã của Quý khách là { $code }. Trong vòng 15 phút, hãy gửi /link { $code } từ ứng dụng khác mà Quý khách dùng để liên hệ, chúng tôi sẽ thấy cả hai cuộc trò chuyện cùng nhau.
link-done = Xong: giờ chúng tôi thấy tin nhắn của Quý khách từ cả hai ứng dụng cùng nhau.
link-invalid = Mã này không tồn tại hoặc đã hết hạn. Gửi /link để nhận mã mới.

# /verify TÀIKHOẢN: đây có phải nhân viên của chúng tôi?
verify-usage = Gửi /verify kèm tài khoản muốn kiểm tra, ví dụ /verify @SupportAnn.
verify-staff = Đúng vậy: { $handle } là { $name }, nhân viên của chúng tôi trên { $channel }. Dù vậy, nhân viên không bao giờ hỏi cụm từ khôi phục hay khóa riêng tư của Quý khách.
verify-impostor = CẢNH BÁO: { $handle } KHÔNG phải nhân viên của chúng tôi. Tài khoản này đang giả mạo tài khoản { $real } của chúng tôi trên { $channel }. Đừng trả lời, đừng gửi gì và tuyệt đối không chia sẻ cụm từ khôi phục.
verify-unknown = { $handle } không phải nhân viên của chúng tôi. Nhân viên của chúng tôi không bao giờ nhắn tin trước và không bao giờ hỏi cụm từ khôi phục hay khóa riêng tư.

# Mô tả lệnh hiển thị trong ứng dụng trò chuyện (menu lệnh Telegram).
command-start = Bắt đầu trò chuyện với bộ phận hỗ trợ
command-help = Những gì tôi có thể làm
command-status = Tình trạng yêu cầu
command-human = Gặp nhân viên hỗ trợ
command-lang = Đổi ngôn ngữ, ví dụ /lang en-US
command-verify = Kiểm tra một tài khoản có thật là nhân viên không
command-link = Liên kết với các ứng dụng khác của Quý khách
command-complaint = Gửi khiếu nại chính thức
command-stop = Ngừng nhận thông báo

# Tệp khách hàng gửi vượt quá dung lượng cho phép.
attachment-too-large = Chúng tôi không thể lưu { $files }: mỗi tệp tối đa { $limit }. Vui lòng gửi tệp nhỏ hơn hoặc một đường dẫn.

# Tham số của các lệnh có tham số.
command-option-code = Mã
command-option-handle = Tài khoản cần kiểm tra, ví dụ @alice

# Tên lệnh nơi nền tảng hiển thị bản dịch (Discord).
command-name-start = batdau
command-name-help = trogiup
command-name-status = tinhtrang
command-name-human = nhanvien
command-name-lang = ngonngu
command-name-verify = kiemtra
command-name-link = lienket
command-name-complaint = khieunai
command-name-stop = huydangky

# Bot hỗ trợ
bot-did-it-help = Câu trả lời này đã giải quyết được vấn đề chưa?
bot-solved-yes = Rồi, đã giải quyết
bot-solved-no = Chưa, tôi cần gặp nhân viên
bot-glad = Rất vui vì đã giúp được Quý khách! Cứ nhắn bất cứ lúc nào.
bot-offer = Tôi tìm thấy vài bài viết có thể hữu ích. Bài nào đúng với câu hỏi của Quý khách?
bot-cross-lingual = (Hiện câu trả lời này chỉ có bằng ngôn ngữ khác.)
bot-handoff = Tôi đã chuyển yêu cầu { $reference } của Quý khách cho đội hỗ trợ. Nhân viên sẽ trả lời tại đây, thường trong vòng { $within }; Quý khách không cần nhắn lại. Nhân viên của chúng tôi không bao giờ hỏi cụm từ khôi phục hay khóa riêng tư.
bot-handoff-off-hours = Tôi đã chuyển yêu cầu { $reference } của Quý khách cho đội hỗ trợ. Hiện đang ngoài giờ làm việc, nhân viên sẽ trả lời tại đây từ { DATETIME($when, dateStyle: "full", timeStyle: "short") } ({ $zone }); Quý khách không cần nhắn lại. Trong lúc chờ, tôi vẫn có thể trả lời các câu hỏi chung. Nhân viên của chúng tôi không bao giờ hỏi cụm từ khôi phục hay khóa riêng tư.
message-unreadable = [Không thể đọc hoặc lưu tin nhắn này. Nội dung không được giữ lại; hãy nhờ khách hàng gửi lại.]
redacted-seed-phrase = [đã xóa: cụm từ khôi phục]
redacted-private-key = [đã xóa: khóa riêng tư]
response-time = { $unit ->
    [minute] { $n } phút
    [day] { $n } ngày
   *[hour] { $n } giờ
}
bot-scam-warning = Đây là lừa đảo. Không ai — kể cả nhân viên, quản trị viên hay "dịch vụ thu hồi tài sản" — cần cụm từ khôi phục, khóa riêng tư, quyền điều khiển thiết bị từ xa hay phí để mở khóa tiền của Quý khách. Đừng chia sẻ, đừng trả tiền và đừng kết nối ví với trang web họ gửi. Nếu đã làm, hãy chuyển ngay tài sản sang ví mới với cụm từ khôi phục mới. Nhân viên của chúng tôi sẽ xem cuộc trò chuyện này.

# Mỗi mức đánh giá một nút, từ 1 đến 5.
csat-button-1 = ★
csat-button-2 = ★★
csat-button-3 = ★★★
csat-button-4 = ★★★★
csat-button-5 = ★★★★★
csat-ask = Yêu cầu { $reference } của Quý khách đã được giải quyết. Quý khách hài lòng thế nào với sự hỗ trợ nhận được? Vui lòng đánh giá từ 1 (kém) đến 5 (rất tốt).
csat-thanks = Cảm ơn Quý khách đã đánh giá! Nếu muốn, hãy cho chúng tôi biết ở tin nhắn tiếp theo điều gì cần làm tốt hơn.
csat-comment-thanks = Cảm ơn, ý kiến của Quý khách đã được chuyển tới đội ngũ.
# Trang xác nhận mở từ đường dẫn trong email: chưa ghi nhận gì cho tới khi bấm nút.
choice-page-title = Câu trả lời của Quý khách
choice-page-question = Câu trả lời cho yêu cầu { $reference }: { $label }
choice-page-confirm = Gửi: { $label }
choice-page-done = Cảm ơn! Câu trả lời đã được ghi nhận.
choice-page-already = Câu trả lời đã được ghi nhận trước đó. Cảm ơn Quý khách!
choice-page-invalid = Đường dẫn này không hợp lệ. Có thể nó chưa được sao chép đầy đủ.
choice-page-unavailable = Trang này tạm thời không khả dụng. Vui lòng thử lại sau ít phút.
csat-page-title = Đánh giá dịch vụ hỗ trợ
csat-page-question = Đánh giá của Quý khách cho yêu cầu { $reference }: { $label }

## Tra cứu giao dịch: câu trả lời của bot khi khách dán mã hash giao dịch
tx-pending = Giao dịch { $hash } của Quý khách đang ở trên { $network }, chờ được đưa vào khối. Sau đó cần { $required } xác nhận để được ghi có: khoảng { $eta } nữa.
tx-confirming = Giao dịch { $hash } của Quý khách đã được xác nhận trên { $network } trong khối { $block }, có { $confirmations } trên { $required } xác nhận cần thiết. Tiền sẽ được ghi có sau { $required } xác nhận, khoảng { $eta } nữa.
tx-credited = Giao dịch { $hash } của Quý khách đã hoàn tất trên { $network } (khối { $block }, số xác nhận: { $confirmations }). Không cần thêm xác nhận nào.
tx-moved = Giao dịch đã chuyển { $what } tới { $to }.
tx-not-credited = Mạng lưới cho thấy giao dịch { $hash } của Quý khách đã hoàn tất trên { $network } (số xác nhận: { $confirmations }), vì vậy nhân viên của chúng tôi sẽ kiểm tra vì sao tiền chưa được ghi có.
tx-failed = Giao dịch { $hash } của Quý khách đã thất bại trên { $network } (khối { $block }): không có gì được chuyển; chỉ mất phí mạng.
tx-not-found = Tôi không tìm thấy giao dịch { $hash } trên { $networks }. Vui lòng kiểm tra mã hash đã đầy đủ và lệnh chuyển thực sự đã được gửi.
tx-wrong-network = Giao dịch { $hash } được gửi trên { $found }, không phải { $named }. Tài sản gửi nhầm mạng cần đội ngũ của chúng tôi hỗ trợ thu hồi.
tx-unavailable = Hiện tôi không thể kiểm tra giao dịch { $hash } trên mạng lưới.
tx-reorganized = Mạng lưới đã loại bỏ khối chứa giao dịch { $hash } của Quý khách, nên giao dịch chưa được xác nhận cuối cùng.
tx-status-pending = đang chờ
tx-status-confirmed = đã xác nhận
tx-status-credited = đã hoàn tất
tx-status-failed = thất bại
tx-status-not_found = không tìm thấy

## Sự cố: câu trả lời của bot cho câu hỏi liên quan, và mọi cập nhật gửi tới khách hàng được liên kết.
incident-answer =
    Chúng tôi đã biết về sự cố này: { $title }.

    { $message }

    Yêu cầu { $reference } của Quý khách đã được liên kết với sự cố, và chúng tôi sẽ báo tại đây ngay khi có thay đổi. Quý khách không cần nhắn lại.
incident-update =
    Cập nhật về { $title }: { $status }.

    { $message }
incident-resolved =
    Đã khắc phục: { $title }.

    { $message }

    Chúng tôi đã đóng yêu cầu { $reference } của Quý khách. Nếu vẫn còn vấn đề, Quý khách cứ nhắn tại đây, nhân viên sẽ kiểm tra.
incident-no-message = Chúng tôi sẽ cập nhật thêm tại đây ngay khi có thông tin.
incident-status-suggested = đang xem xét
incident-status-investigating = chúng tôi đang điều tra
incident-status-monitoring = đã triển khai bản sửa lỗi và đang theo dõi
incident-status-resolved = đã khắc phục

## Khiếu nại: từng giai đoạn đều được báo cho khách; /status hiển thị giai đoạn.
complaint-received = Chúng tôi đã ghi nhận khiếu nại của Quý khách về yêu cầu { $reference }. Một nhân viên trong đội ngũ đã phụ trách và Quý khách sẽ nhận được phản hồi trong vòng { $due }. Chúng tôi sẽ báo tại đây ở từng bước.
complaint-investigating = Khiếu nại của Quý khách về yêu cầu { $reference } đang được xem xét. Quý khách sẽ nhận được phản hồi trong vòng { $due }.
complaint-resolution-proposed = Chúng tôi đã đề xuất hướng giải quyết cho khiếu nại của Quý khách về yêu cầu { $reference }. Vui lòng xem và cho chúng tôi biết tại đây Quý khách có đồng ý không.
complaint-closed = Khiếu nại của Quý khách về yêu cầu { $reference } đã được đóng. Cảm ơn Quý khách đã phản ánh. Nếu vẫn còn điều chưa ổn, hãy gửi lại /complaint.
complaint-stage-received = đã tiếp nhận
complaint-stage-investigating = đang xem xét
complaint-stage-resolution-proposed = đã đề xuất hướng giải quyết
complaint-stage-closed = đã đóng
status-complaint = Khiếu nại của Quý khách về yêu cầu { $reference }: { $stage }.

## /stop: không nhận thông báo nữa.
stop-done = Quý khách sẽ không nhận thêm thông báo nào từ chúng tôi. Các yêu cầu của Quý khách không bị ảnh hưởng và chúng tôi vẫn trả lời tại đây.

## Chế độ cao điểm: vị trí của khách trong hàng chờ.
queue-place = Hiện lượng yêu cầu đang nhiều hơn bình thường. Yêu cầu { $reference } của Quý khách đang ở vị trí số { $position } trong hàng chờ, nhân viên sẽ trả lời sau khoảng { $wait }. Vị trí của Quý khách được giữ nguyên: không cần nhắn lại.
queue-place-unknown = Hiện lượng yêu cầu đang nhiều hơn bình thường. Yêu cầu { $reference } của Quý khách đang ở vị trí số { $position } trong hàng chờ, nhân viên sẽ trả lời ngay khi rảnh. Vị trí của Quý khách được giữ nguyên: không cần nhắn lại.

## Thông báo: cách khách ngừng nhận.
announcement-stop = (Thông báo từ đội ngũ hỗ trợ. Gửi /stop để không nhận thêm.)
