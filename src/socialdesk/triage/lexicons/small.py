"""Short gloss lexicons for languages the detector knows beyond the main seven.

Core customer-care words only (outage, money, travel, safety, waiting, help, thanks, questions,
negation): enough for a complaint or a question to be seen, not a full reading. Chinese and
Korean are segmented like Japanese (longest entry at each character).
"""

TR = """
çalışmıyor = is not working | çalışmıyo = is not working | açılmıyor = won't load
yüklenmiyor = not loading | bağlanamıyorum = can't connect | bağlantı yok = no connection
internet yok = no internet | kesinti = outage | arıza = outage | çöktü = is down | hata = error
bozuk = broken | yavaş = slow | gelmedi = hasn't arrived | ulaşmadı = hasn't arrived
iade = refund | para iadesi = refund | paramı = my money | para = money | iki kez = twice
ücret = charge | çekildi = charged | dolandırıcılık = fraud | çalındı = stolen
hacklendi = hacked | kilitlendi = locked out | uçuş = flight | uçuşum = my flight
iptal = cancelled | iptal edildi = cancelled | rötar = delay | gecikme = delay
gecikti = delayed | bagaj = luggage | bavul = bag | kayıp = lost | kaybolan = lost
yangın = fire | duman = smoke | yaralandım = injured | yaralı = injured | hastane = hospital
acil = emergency | tehlikeli = dangerous | bekliyorum = still waiting | hala = still
cevap yok = no response | kimse = nobody | yardım = help | yardım edin = help me
yardımcı olur musunuz = can you help | lütfen = please | neden = why | nasıl = how
ne zaman = when | nerede = where | ne = what | mi = ? | mı = ? | mu = ? | mü = ?
berbat = terrible | rezalet = disgrace | kabul edilemez = unacceptable | şikayet = complaint
sorun = problem | teşekkürler = thanks | teşekkür ederim = thank you | harika = great
mükemmel = excellent | süper = great | çok = very | değil = not | yok = no | hiç = never
"""

ID = """
tidak berfungsi = is not working | tidak bisa = can't | gak bisa = can't | nggak bisa = can't
tidak bisa login = can't log in | gangguan = outage | error = error | rusak = broken
lambat = slow | lemot = slow | tidak ada sinyal = no signal | tidak ada internet = no internet
belum sampai = hasn't arrived | belum diterima = didn't receive | pengembalian dana = refund
uang = money | dana = money | ditagih = charged | dua kali = twice | terpotong = deducted
penipuan = fraud | dicuri = stolen | diretas = hacked | diblokir = locked out
penerbangan = flight | dibatalkan = cancelled | batal = cancelled | tertunda = delayed
terlambat = late | bagasi = luggage | koper = bag | hilang = lost | kebakaran = fire
asap = smoke | terluka = injured | rumah sakit = hospital | darurat = emergency
berbahaya = dangerous | masih menunggu = still waiting | menunggu = waiting for
tidak ada jawaban = no response | tidak ada balasan = no response | tolong = please help
bantu = help | bantuan = help | mohon = please | kenapa = why | mengapa = why | bagaimana = how
kapan = when | di mana = where | apa = what | apakah = ? | kecewa = disappointed
parah = terrible | buruk = bad | keluhan = complaint | masalah = problem | terima kasih = thanks
makasih = thanks | bagus = great | mantap = great | sangat = very | tidak = not
belum = not yet | gak = not | nggak = not
"""

RU = """
не работает = is not working | не работают = are not working
перестал работать = stopped working | не загружается = not loading | не грузится = not loading
не открывается = won't load | не могу подключиться = can't connect | нет связи = no signal
нет интернета = no internet | нет сети = no signal | сбой = outage | авария = outage
упал = is down | ошибка = error | сломан = broken | сломался = broken | медленно = slow
не пришёл = hasn't arrived | не пришел = hasn't arrived | не получил = didn't receive
возврат = refund | вернуть деньги = money back | деньги = money | списали = charged
дважды = twice | мошенничество = fraud | мошенники = scammers | украли = stolen
взломали = hacked | заблокировали = locked out | рейс = flight | рейсы = flights
отменили = cancelled | отменён = cancelled | отменен = cancelled | задержка = delay
задержали = delayed | опоздал = late | багаж = luggage | чемодан = bag | потеряли = lost
потерян = lost | пожар = fire | дым = smoke | ранен = injured | травма = injury
больница = hospital | срочно = urgent | опасно = dangerous | всё ещё жду = still waiting
жду = waiting for | никто не отвечает = nobody responds | никто не помогает = nobody helps
никто = nobody | помогите = please help | помощь = help | пожалуйста = please | почему = why
как = how | когда = when | где = where | что = what | ужасно = terrible | ужасный = terrible
плохо = bad | безобразие = disgrace | неприемлемо = unacceptable | жалоба = complaint
проблема = problem | спасибо = thanks | отлично = great | супер = great | очень = very
не = not | нет = no | никогда = never
"""

AR = """
لا يعمل = is not working | لا يشتغل = is not working | معطل = is down | عطل = outage
انقطاع = outage | لا يوجد انترنت = no internet | لا يوجد إنترنت = no internet | خطأ = error
بطيء = slow | لم يصل = hasn't arrived | لم أستلم = didn't receive | استرداد = refund
استرجاع = refund | المبلغ = money | فلوسي = my money | أموالي = my money | خصم = deducted
مرتين = twice | احتيال = fraud | سرقة = theft | مسروق = stolen | اختراق = hacked
رحلتي = my flight | الرحلة = flight | رحلة = flight | إلغاء = cancelled | الغاء = cancelled
ألغيت = cancelled | تأخير = delay | تأخرت = delayed | الأمتعة = luggage | الحقيبة = bag
حقيبتي = my bag | مفقودة = lost | ضائعة = lost | حريق = fire | دخان = smoke | مصاب = injured
مستشفى = hospital | طوارئ = emergency | خطير = dangerous | ما زلت أنتظر = still waiting
أنتظر = waiting for | لا أحد يرد = nobody responds | لا أحد يساعدني = nobody helps me
ولا أحد يساعدني = nobody helps me | لا أحد = nobody | ساعدوني = help me | مساعدة = help
من فضلكم = please | من فضلك = please | لو سمحت = please | لماذا = why | ليش = why | كيف = how
متى = when | أين = where | ماذا = what | هل = ? | سيء = bad | سيئة = bad | فظيع = terrible
غير مقبول = unacceptable | شكوى = complaint | مشكلة = problem | شكرا = thanks | شكراً = thanks
ممتاز = excellent | رائع = great | جدا = very | لا = not | لم = not
"""

ZH = """
断了 = went down | 又断了 = down again | 修复 = fix | 尽快 = urgently | 不能用 = is not working
用不了 = is not working | 不工作 = is not working | 坏了 = broken | 打不开 = won't load
加载不了 = not loading | 连不上 = can't connect | 无法连接 = can't connect
登录不了 = can't log in | 无法登录 = can't log in | 断网 = no internet | 没有网 = no internet
没信号 = no signal | 故障 = outage | 崩溃 = keeps crashing | 错误 = error | 很慢 = slow
没收到 = didn't receive | 还没到 = hasn't arrived | 退款 = refund | 退钱 = money back
扣款 = charged | 扣了两次 = charged twice | 两次 = twice | 诈骗 = fraud | 被盗 = stolen
被黑 = hacked | 被锁 = locked out | 航班 = flight | 取消 = cancelled | 延误 = delayed
晚点 = delayed | 行李 = luggage | 丢失 = lost | 丢了 = lost | 着火 = fire | 火灾 = fire
烟 = smoke | 受伤 = injured | 医院 = hospital | 紧急 = emergency | 危险 = dangerous
一直在等 = still waiting | 还在等 = still waiting | 等了 = waiting for | 没有人 = nobody
没人回复 = no response | 帮助 = help | 帮忙 = help | 帮我 = help me | 请 = please | 为什么 = why
怎么 = how | 什么时候 = when | 哪里 = where | 什么 = what | 吗 = ? | 太差 = terrible
很差 = terrible | 垃圾 = garbage | 不能接受 = unacceptable | 投诉 = complaint | 问题 = problem
谢谢 = thanks | 感谢 = thanks | 很好 = great | 太棒 = great | 非常 = very | 很 = very | 不 = not
没 = not
"""

KO = """
안 돼요 = is not working | 안돼요 = is not working | 작동하지 않 = is not working
작동 안 = is not working | 안 열려 = won't load | 연결이 안 = can't connect
접속이 안 = can't connect | 로그인이 안 = can't log in | 인터넷이 안 = no internet
장애 = outage | 오류 = error | 에러 = error | 고장 = broken | 느려 = slow
못 받았 = didn't receive | 도착하지 않 = hasn't arrived | 환불 = refund | 돈 = money
결제 = payment | 두 번 = twice | 사기 = fraud | 도난 = stolen | 해킹 = hacked | 비행기 = flight
항공편 = flight | 취소 = cancelled | 지연 = delayed | 수하물 = luggage | 짐 = luggage
분실 = lost | 잃어버 = lost | 화재 = fire | 불이 = fire | 연기 = smoke | 다쳤 = injured
부상 = injury | 병원 = hospital | 응급 = emergency | 위험 = dangerous
계속 기다 = still waiting | 기다리 = waiting for | 아무도 = nobody | 답변이 없 = no response
도와주세요 = please help | 도와 = help | 도움 = help | 제발 = please | 왜 = why | 어떻게 = how
언제 = when | 어디 = where | 무엇 = what | 뭐 = what | 나요 = ? | 까요 = ? | 최악 = the worst
형편없 = terrible | 불만 = complaint | 문제 = problem | 감사합니다 = thank you
고맙습니다 = thank you | 고마워 = thanks | 최고 = the best | 좋아요 = great | 정말 = really
너무 = very | 안 = not | 못 = not
"""
