"""Japanese -> English gloss lexicon: "phrase = English", entries separated by "|" or new lines.

Japanese has no spaces: posts are segmented by the longest entry at each place (`gloss.py`).
An entry with an empty English side is read and dropped (particles that would split a phrase).
"""

LEXICON = """
動かない = is not working | 動きません = is not working | 使えない = is not working
使えません = is not working | 機能しない = is not working | 作動しない = is not working
動作しない = is not working | 起動しない = won't load | 開かない = won't load
読み込めない = not loading | 読み込まない = not loading | 表示されない = not loading
つながらない = can't connect | つながりません = can't connect | 繋がらない = can't connect
繋がりません = can't connect | 接続できない = can't connect | 接続できません = can't connect
ログインできない = can't log in | ログインできません = can't log in | 落ちてる = is down
落ちている = is down | 落ちた = went down | ダウン = down | 障害 = outage | 通信障害 = outage
システム障害 = outage | 停電 = no power | 圏外 = no signal | 電波がない = no signal
ネットが使えない = no internet | インターネット = internet | ネット = internet
止まっている = at a standstill | 止まってる = at a standstill | フリーズ = keeps crashing
落ちる = keeps crashing | クラッシュ = keeps crashing | エラー = error | 不具合 = problem
壊れた = broken | 壊れている = broken | 破損 = broken | 故障 = broken | 遅い = slow
遅くなって = slow | 届かない = hasn't arrived | 届かず = hasn't arrived
届いていません = hasn't arrived | 届いてない = hasn't arrived | 届きません = hasn't arrived
来ない = hasn't arrived | 受け取っていない = didn't receive | 請求 = charge
請求された = charged me | 請求されてる = charged me | 請求されて = charged me
二重請求 = charged twice | 二重に請求 = charged twice | 引き落とされ = debited
引き落とし = debited | 不正 = unauthorized | 不正な = unauthorized | 不正利用 = fraud | 詐欺 = scam
盗まれた = stolen | 盗難 = stolen | 乗っ取られ = hacked | ハッキング = hacked | ロック = locked out
ロックされ = locked out | 返金 = refund | 払い戻し = refund | 返して = money back | お金 = money
料金 = charge | 代金 = payment | 補償 = compensation | 賠償 = compensation
クレジットカード = credit card | カード = card | アカウント = account | 口座 = account
支払い = payment | 支払った = paid | 払った = paid | フライト = flight | 便 = flight
飛行機 = flight | 欠航 = cancelled flight | キャンセル = cancelled | 運休 = cancelled
遅延 = delayed | 遅れ = delay | 遅れて = delayed | 遅れる = late | 立ち往生 = stranded
乗り遅れ = missed my flight | 乗り継ぎ = connection | 手荷物 = luggage | 荷物 = luggage
紛失 = lost | スーツケース = bag | なくした = lost | 無くした = lost | なくなった = disappeared
消えました = disappeared | 消えた = disappeared | 見つからない = missing | 電車 = train
列車 = train | 空港 = airport | ゲート = gate | 火事 = fire | 火災 = fire | 発火 = fire | 煙 = smoke
焦げ = burned | 爆発 = exploded | 怪我 = injured | けが = injured | 負傷 = injured | 病院 = hospital
救急 = emergency | 緊急 = emergency | 危険 = dangerous | 危ない = dangerous | ガス漏れ = gas leak
食中毒 = food poisoning | アレルギー = allergy | 嫌がらせ = harassment | 脅迫 = threatened
暴行 = assaulted | 警察 = police | カビ = mould | 腐って = rotten | 保留 = on hold
まだ待って = still waiting | 待っています = waiting for | 待ってる = waiting for
待って = waiting for | 待ち = waiting for | 返事なし = no response | 返事がない = no response
返信がない = no response | 返事 = reply | 回答がない = no response | 誰も = nobody
何日も = for days | 何度も = many times | 何回も = many times | 毎回 = every time | いつも = always
しょっちゅう = constantly | ずっと = constantly | また = again | まだ = still | 一度も = never
助けて = help | 助けてください = please help | 助けてもらえますか = can you help
助けてくれ = help me | 助けていただけ = help | 手伝って = help | サポート = support | 対応 = support
お願いします = please | してください = please | ください = please | 至急 = urgent | 急ぎ = urgent
今すぐ = immediately | すぐに = immediately | 直して = please fix | 直してください = please fix
解決 = resolve | 修正 = fix | 対処 = fix | どうすれば = what do i do | どうしたら = what do i do
どうやって = how | どう = how | 何 = what | なに = what | いつ = when | どこ = where | なぜ = why
どうして = why | 理由 = reason | いくら = how much | どのくらい = how long | どれくらい = how long
どれ = which | 誰 = who | できますか = can i | できる = can | ありますか = is there
可能ですか = is it possible | 苦情 = complaint | クレーム = complaint | ひどい = terrible
酷い = terrible | 最悪 = the worst | 最低 = terrible | 悪い = bad | がっかり = disappointed
失望 = disappointed | ありえない = unacceptable | あり得ない = unacceptable
受け入れられません = unacceptable | 受け入れられない = unacceptable | 許せない = unacceptable
ふざけ = ridiculous | 腹が立つ = angry | 怒り = angry | イライラ = annoyed | 迷惑 = annoying
不便 = annoying | 失礼 = rude | 無礼 = rude | めちゃくちゃ = a mess | 気持ち悪い = disgusting
まずい = awful | ひどい味 = tastes awful | 問題 = problem | 困って = having trouble
困っています = having trouble | もう無理 = fed up | 無駄 = wasted | 台無し = ruined
残念 = unfortunately | ありがとう = thanks | ありがとうございます = thank you
ありがとうございました = thank you | 感謝 = appreciate | 助かりました = appreciated
素晴らしい = great | すばらしい = great | 最高 = the best | 完璧 = perfect | 大好き = love
好き = love | 嬉しい = happy | うれしい = happy | 楽しみ = excited | 良い = good | いい = good
神 = blessing | おすすめ = recommend | 頑張ってる = stepped up | 便利 = handy
してほしい = you should | 追加して = please add | 提案 = suggestion | あればいい = would be nice
とても = very | すごく = very | 本当に = really | 本当 = really | 全く = at all | 全然 = at all
超 = super | めっちゃ = very | 非常に = extremely | 一体 = the heck | ない = not | ません = not
なく = not | ず = not | 無い = no | なし = no | こんにちは = hi | はい = yes | いいえ = no
今日 = today | 昨日 = yesterday | 日間 = days | 時間 = hours | 電話 = phone | スマホ = phone
携帯 = phone | メール = email | 注文 = order | 配達 = delivery | 配送 = delivery | 発送 = shipped
配達員 = courier | 住所 = address | カスタマーサービス = customer service
カスタマーサポート = customer service | アプリ = app | サイト = site | パスワード = password
アップデート = update | 私 = i | 僕 = i | 俺 = i | 使える = works | 動く = works | やっと = finally
ようやく = finally | 新しい = new | 今朝 = this morning | 明日 = tomorrow | 今夜 = tonight
昨夜 = last night | から = since | 電話した = called | 電話しました = called | 直して = fix
直った = fixed | 直してくれない = nobody fixed | 言われた = was told | メッセージ = message
返事 = reply | 買った = bought | 購入 = bought | 送った = sent | 送りました = sent | 試した = tried
二 = two | 三 = three | 回 = times | 今週 = this week | 週 = week | 月 = month | 年 = year
今 = now | もう = already | これ = this | それ = that | 全部 = everything | 同じ = same
冗談 = joke | 客 = customer | お客 = customer | 会社 = company | 店 = store | 商品 = product
人 = person | 社員 = employee | スタッフ = staff | 間違い = wrong | 無理 = impossible
許可なく = without permission | 許可なし = without permission | 引き出され = withdrawn
引き出された = withdrawn | 発火 = catch fire | 煙が出 = smoking | 間に合いません = missed
間に合わなかった = missed | 乗り継ぎに間に合 = missed connection | 変更 = change
在宅勤務 = work from home | 仕事 = work | 落ちます = keeps crashing | 落ちる = keeps crashing
開くたびに = every time i open | たびに = every time | 足止め = stuck | 二重 = double
"""
