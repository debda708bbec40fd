# Müşteriye görünen metinler (Türkçe, "siz" hitabıyla). en-US'deki her anahtar burada da, aynı değişkenlerle bulunmalıdır.

ack-new-conversation = Mesajınızı aldık. Talep numaranız { $reference }; bir temsilcimiz size buradan yanıt verecek. Çalışanlarımız size asla ilk mesajı atmaz ve kurtarma ifadenizi ya da özel anahtarınızı asla istemez.
welcome = Merhaba! Burası destek masası. Ne olduğunu anlatın, yardımcı olalım. Neler yapabildiğimi görmek için /help yazın.
help =
    Bize kendi cümlelerinizle yazabilirsiniz. Komutlar:
    /status: talebinizin durumu
    /human: bir temsilciyle görüşmek
    /lang KOD: dili değiştirmek (örneğin /lang en-US)
    /link: bu sohbeti başka bir uygulamadaki sohbetle birleştirmek
    /verify @hesap: birinin gerçekten çalışanımız olup olmadığını kontrol etmek
    /complaint: talebiniz hakkında resmî şikâyette bulunmak
    /stop: duyuru almayı bırakmak
lang-changed = Bundan sonra size Türkçe yazacağım.
lang-unknown = "{ $code }" dilinde henüz yazamıyorum. Kullanılabilir diller: { $available }.
status-none = Henüz bir talebiniz yok. Sorunuzu yazmanız yeterli, sizin için bir talep açalım.
status-open = { $reference } numaralı talebiniz açık; bir temsilci size buradan yanıt verecek.
status-pending = { $reference } numaralı talebiniz sizin yanıtınızı bekliyor.
status-resolved = { $reference } numaralı talebiniz çözüldü. Hâlâ yardıma ihtiyacınız varsa tekrar yazın.
handoff = { $reference } numaralı talebinizi bir temsilciye devrettim. Size buradan yanıt verecek.
secret-redacted =
    Kurtarma ifadenizi veya özel anahtarınızı bizimle de dahil olmak üzere kimseyle paylaşmayın: bunu isteyen herkes dolandırıcıdır.
    Mesajınızdan sildik ve saklamadık. Artık güvende olmayabileceği için fonlarınızı hemen yeni bir cüzdana taşıyın.

# Web sohbet sayfası.
webchat-title = Destek sohbeti
webchat-intro = Bize her şeyi sorabilirsiniz. Bir temsilci genellikle { $within } içinde yanıt verir.
webchat-name-label = Adınız (isteğe bağlı)
webchat-start = Sohbeti başlat
webchat-placeholder = Mesajınızı yazın…
webchat-send = Gönder
webchat-you = Siz
webchat-agent = Destek
webchat-error = Sunucuya ulaşılamadı. Yeniden deneniyor…

# /link: müşterinin birden çok kanaldaki kimliklerini birleştirmek.
link-code = Kodunuz { $code }. 15 dakika içinde bize yazdığınız diğer uygulamadan /link { $code } gönderin; iki sohbeti birlikte görelim.
link-done = Tamamlandı: artık iki uygulamadaki mesajlarınızı birlikte görüyoruz.
link-invalid = Bu kod bilinmiyor veya süresi dolmuş. Yeni bir kod almak için /link gönderin.

# /verify HESAP: bu hesap çalışanımız mı?
verify-usage = Kontrol etmek istediğiniz hesapla birlikte /verify gönderin, örneğin /verify @SupportAnn.
verify-staff = Evet: { $handle }, { $channel } üzerindeki çalışanımız { $name }. Yine de çalışanlarımız kurtarma ifadenizi ya da özel anahtarınızı asla istemez.
verify-impostor = UYARI: { $handle } çalışanımız DEĞİLDİR. { $channel } üzerindeki { $real } hesabımızı taklit ediyor. Yanıt vermeyin, hiçbir şey göndermeyin ve kurtarma ifadenizi asla paylaşmayın.
verify-unknown = { $handle } çalışanımız değildir. Çalışanlarımız size asla ilk mesajı atmaz ve kurtarma ifadenizi ya da özel anahtarınızı asla istemez.

# Sohbet uygulamalarında gösterilen komut açıklamaları (Telegram komut menüsü).
command-start = Destekle bir sohbet başlatın
command-help = Neler yapabilirim
command-status = Talebinizin durumu
command-human = Bir temsilciyle görüşün
command-lang = Dili değiştirin, ör. /lang en-US
command-verify = Bir hesabın gerçekten çalışanımız olup olmadığını kontrol edin
command-link = Bu sohbeti diğer uygulamalarınızla birleştirin
command-complaint = Resmî şikâyette bulunun
command-stop = Duyuru almayı bırakın

# Müşterinin gönderdiği dosya boyut sınırını aşıyor.
attachment-too-large = { $files } saklanamadı: dosyalar en fazla { $limit } olabilir. Lütfen daha küçük bir dosya ya da bir bağlantı gönderin.

# Parametre alan komutların parametreleri.
command-option-code = Kod
command-option-handle = Kontrol edilecek hesap, ör. @alice

# Platformun çevrilmiş gösterdiği komut adları (Discord).
command-name-start = başla
command-name-help = yardım
command-name-status = durum
command-name-human = temsilci
command-name-lang = dil
command-name-verify = doğrula
command-name-link = bağla
command-name-complaint = şikayet
command-name-stop = abonelikten-çık

# Destek botu
bot-did-it-help = Bu sorununuzu çözdü mü?
bot-solved-yes = Evet, çözüldü
bot-solved-no = Hayır, bir temsilciye ihtiyacım var
bot-glad = Yardımcı olabildiğimize sevindik! İstediğiniz zaman tekrar yazabilirsiniz.
bot-offer = İşinize yarayabilecek birkaç makale buldum. Hangisi sorunuzla ilgili?
bot-cross-lingual = (Bu yanıt şimdilik yalnızca başka bir dilde mevcut.)
bot-handoff = { $reference } numaralı talebinizi destek ekibimize ilettim. Bir temsilci size buradan, genellikle { $within } içinde yanıt verecek; tekrar yazmanıza gerek yok. Çalışanlarımız kurtarma ifadenizi ya da özel anahtarınızı asla istemez.
bot-handoff-off-hours = { $reference } numaralı talebinizi destek ekibimize ilettim. Şu anda mesai dışındalar; { DATETIME($when, dateStyle: "full", timeStyle: "short") } ({ $zone }) itibarıyla size buradan yanıt verecekler, tekrar yazmanıza gerek yok. Bu arada genel sorularınızı yanıtlayabilirim. Çalışanlarımız kurtarma ifadenizi ya da özel anahtarınızı asla istemez.
message-unreadable = [Bu mesaj okunamadı veya saklanamadı. Metni tutulmadı; lütfen müşteriden tekrar göndermesini isteyin.]
redacted-seed-phrase = [silindi: kurtarma ifadesi]
redacted-private-key = [silindi: özel anahtar]
response-time = { $unit ->
    [minute] { $n ->
        [one] 1 dakika
       *[other] { $n } dakika
    }
    [day] { $n ->
        [one] 1 gün
       *[other] { $n } gün
    }
   *[hour] { $n ->
        [one] 1 saat
       *[other] { $n } saat
    }
}
bot-scam-warning = Bu bir dolandırıcılık. Hiç kimse — ne çalışanlarımız, ne bir yönetici, ne de bir "fon kurtarma hizmeti" — kurtarma ifadenize, özel anahtarınıza, cihazınıza uzaktan erişime ya da fonlarınızı serbest bırakmak için bir ücrete ihtiyaç duymaz. Paylaşmayın, ödeme yapmayın ve cüzdanınızı size gönderilen siteye bağlamayın. Zaten yaptıysanız fonlarınızı hemen yeni bir kurtarma ifadesiyle oluşturulmuş yeni bir cüzdana taşıyın. Ekibimizden biri bu sohbeti inceleyecek.

# Her puan için bir düğme, 1'den 5'e.
csat-button-1 = ★
csat-button-2 = ★★
csat-button-3 = ★★★
csat-button-4 = ★★★★
csat-button-5 = ★★★★★
csat-ask = { $reference } numaralı talebiniz çözüldü. Aldığınız destekten ne kadar memnun kaldınız? Lütfen 1 (kötü) ile 5 (mükemmel) arasında puan verin.
csat-thanks = Puanınız için teşekkürler! Dilerseniz bir sonraki mesajınızda neyi daha iyi yapabileceğimizi yazın.
csat-comment-thanks = Teşekkürler, yorumunuz ekibe ulaştı.
# E-postadaki bir bağlantının açtığı onay sayfası: düğmeye basılana kadar hiçbir şey kaydedilmez.
choice-page-title = Yanıtınız
choice-page-question = { $reference } numaralı talep için yanıtınız: { $label }
choice-page-confirm = Gönder: { $label }
choice-page-done = Teşekkürler! Yanıtınız kaydedildi.
choice-page-already = Yanıtınız zaten kaydedilmişti. Teşekkürler!
choice-page-invalid = Bu bağlantı geçerli değil. Eksik kopyalanmış olabilir.
choice-page-unavailable = Bu sayfa kısa bir süre için kullanılamıyor. Lütfen birazdan tekrar deneyin.
csat-page-title = Desteğimizi puanlayın
csat-page-question = { $reference } numaralı talep için puanınız: { $label }

## İşlem sorguları: müşteri bir işlem hash'i yapıştırdığında botun yanıtları
tx-pending = { $hash } işleminiz { $network } ağında bir bloğa eklenmeyi bekliyor. Eklendikten sonra hesabınıza geçmesi için { $required } onay gerekiyor: yaklaşık { $eta } sonra.
tx-confirming = { $hash } işleminiz { $network } ağında { $block } numaralı blokta onaylandı; gereken { $required } onayın { $confirmations } tanesi tamam. { $required } onaydan sonra, yaklaşık { $eta } içinde hesabınıza geçecek.
tx-credited = { $hash } işleminiz { $network } ağında tamamlandı (blok { $block }, onay sayısı: { $confirmations }). Başka onaya gerek yok.
tx-moved = İşlem { $what } tutarını { $to } adresine gönderdi.
tx-not-credited = Ağ, { $hash } işleminizi { $network } üzerinde tamamlanmış gösteriyor (onay sayısı: { $confirmations }); bu yüzden ekibimizden biri neden henüz hesabınıza geçmediğini kontrol edecek.
tx-failed = { $hash } işleminiz { $network } ağında başarısız oldu (blok { $block }): hiçbir şey aktarılmadı, yalnızca ağ ücreti harcandı.
tx-not-found = { $hash } işlemini { $networks } üzerinde bulamadım. Lütfen hash'in eksiksiz olduğunu ve transferin gerçekten gönderildiğini kontrol edin.
tx-wrong-network = { $hash } işlemi { $named } yerine { $found } ağında gönderilmiş. Yanlış ağa gönderilen fonların kurtarılması için ekibimizin yardımı gerekir.
tx-unavailable = { $hash } işlemini şu anda ağ üzerinde kontrol edemiyorum.
tx-reorganized = Ağ, { $hash } işleminizin bulunduğu bloğu düşürdü; bu nedenle işlem henüz kesinleşmedi.
tx-status-pending = beklemede
tx-status-confirmed = onaylandı
tx-status-credited = kesinleşti
tx-status-failed = başarısız
tx-status-not_found = bulunamadı

## Olaylar: botun ilgili sorulara yanıtı ve bağlı müşterilere bildirilen her değişiklik.
incident-answer =
    Bu konudan haberdarız: { $title }.

    { $message }

    { $reference } numaralı talebiniz bu olaya bağlandı; bir değişiklik olduğu anda size buradan haber vereceğiz. Tekrar yazmanıza gerek yok.
incident-update =
    { $title } hakkında güncelleme: { $status }.

    { $message }
incident-resolved =
    Çözüldü: { $title }.

    { $message }

    { $reference } numaralı talebinizi kapattık. Sizin için hâlâ bir sorun varsa buraya yazmanız yeterli; bir temsilci inceleyecek.
incident-no-message = Daha fazla bilgi edindiğimizde buradan paylaşacağız.
incident-status-suggested = inceleniyor
incident-status-investigating = araştırıyoruz
incident-status-monitoring = bir düzeltme uygulandı, takip ediyoruz
incident-status-resolved = çözüldü

## Şikâyetler: her aşama müşteriye bildirilir; /status aşamayı gösterir.
complaint-received = { $reference } numaralı talebinizle ilgili şikâyetinizi kaydettik. Artık ekibimizden bir yetkili bununla ilgileniyor ve yanıtımızı { $due } içinde alacaksınız. Her adımda size buradan bilgi vereceğiz.
complaint-investigating = { $reference } numaralı talebinizle ilgili şikâyetiniz inceleniyor. Yanıtımızı { $due } içinde alacaksınız.
complaint-resolution-proposed = { $reference } numaralı talebinizle ilgili şikâyetiniz için bir çözüm önerdik. Lütfen inceleyip konunun çözülüp çözülmediğini buradan bize bildirin.
complaint-closed = { $reference } numaralı talebinizle ilgili şikâyetiniz kapatıldı. Bize bildirdiğiniz için teşekkür ederiz. Hâlâ düzelmeyen bir şey varsa tekrar /complaint gönderin.
complaint-stage-received = alındı
complaint-stage-investigating = inceleniyor
complaint-stage-resolution-proposed = çözüm önerildi
complaint-stage-closed = kapatıldı
status-complaint = { $reference } numaralı talebinizle ilgili şikâyetiniz: { $stage }.

## /stop: duyuru yok.
stop-done = Artık bizden duyuru almayacaksınız. Talepleriniz bundan etkilenmez; size buradan yanıt vermeye devam ediyoruz.

## Yoğunluk modu: bekleyen müşterinin sıradaki yeri.
queue-place = Şu anda her zamankinden yoğunuz. { $reference } numaralı talebiniz sırada { $position }. konumda; bir temsilcinin yaklaşık { $wait } içinde yanıt vermesi bekleniyor. Yeriniz korunuyor: tekrar yazmanıza gerek yok.
queue-place-unknown = Şu anda her zamankinden yoğunuz. { $reference } numaralı talebiniz sırada { $position }. konumda; bir temsilci müsait olur olmaz yanıt verecek. Yeriniz korunuyor: tekrar yazmanıza gerek yok.

## Duyurular: müşterinin bunları nasıl durduracağı.
announcement-stop = (Destek ekibimizden bir duyuru. Daha fazla almamak için /stop gönderin.)
