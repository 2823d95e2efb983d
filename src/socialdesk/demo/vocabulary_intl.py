"""Phrase banks of the demo traffic in Spanish, French, German, Portuguese and Japanese.

Smaller than the English bank (see `vocabulary` for the slots); written for socialdesk.
"""

from __future__ import annotations

from socialdesk.demo.vocabulary import EMOJI, EN, LanguageBank

ES = LanguageBank(
    lang="es",
    complaint={
        "isp": (
            "llevo {days} días sin internet y nadie me da una solución",
            "pago 600 megas y me llegan 20, una vergüenza",
            "el técnico no vino y me tuve que quedar toda la mañana en casa",
        ),
        "airline": (
            "vuelo retrasado {hours} horas y ni un vaso de agua",
            "mi maleta no llegó a {city} y nadie sabe dónde está",
            "me cancelaron el vuelo y el reembolso sigue sin aparecer",
        ),
        "bank": (
            "me rechazan la tarjeta teniendo saldo",
            "la app me bloquea la cuenta cada dos por tres",
            "me cobraron dos veces el mismo pago",
        ),
        "streaming": (
            "la app se cierra cada vez que abro una serie",
            "otra subida de precio, en serio?",
            "me siguen cobrando después de darme de baja",
        ),
        "general": ("el servicio es pésimo", "nadie contesta al teléfono"),
    },
    question={
        "isp": ("¿cómo cambio la contraseña del wifi?", "¿hay fibra en mi calle?"),
        "airline": ("¿puedo llevar la guitarra en cabina?", "¿mi vuelo a {city} de mañana sigue en pie?"),
        "bank": ("¿cobran comisión por usar la tarjeta en el extranjero?", "¿cuánto tarda la tarjeta nueva?"),
        "streaming": ("¿cuándo sale la tercera temporada?", "¿se pueden descargar episodios?"),
        "general": ("¿a qué número puedo llamar?",),
    },
    outage={
        "isp": ("sin internet en {city} {since}", "¿se ha caído {alias} en {city}? no carga nada"),
        "airline": ("no funciona la web de {name}, imposible hacer el check-in",),
        "bank": ("¿está caída la app de {name}? no puedo entrar {since}",),
        "streaming": ("¿{alias} caído? error en todos los dispositivos", "{name} no carga en {city}"),
        "general": ("¿{name} caído?",),
    },
    praise={
        "general": (
            "gracias {b}, me lo solucionaron en cinco minutos",
            "atención de 10, así da gusto",
            "el equipo de {city} fue súper amable",
            "por fin un servicio que funciona",
        )
    },
    feedback={
        "general": (
            "estaría bien poder gestionar todo desde la app",
            "el modo oscuro en la app, por favor",
            "la web podría ser mucho más clara con las tarifas",
        )
    },
    other=(
        "acabo de ver un anuncio de {name} en el metro",
        "mañana tengo entrevista en {name}, deseadme suerte",
    ),
    frames={
        "complaint": ("{b} {core}", "{core} {b}", "{b} {core}. {esc}"),
        "question": ("{b} {core}", "hola {b}, {core}", "{core} {b}"),
        "outage_report": ("{b} {core}", "{core} {tag}", "{core}"),
        "praise": ("{core}", "{core} {b}"),
        "feedback": ("{b} {core}", "{core} {b}"),
        "other": ("{core}",),
    },
    escalations=("vergonzoso", "quiero una solución ya", "así no se puede", "me voy a la competencia"),
    since=("desde las {h}", "desde esta mañana", "desde hace {hours} horas"),
    followups={
        "dm_sent": ("hecho, os he mandado un DM", "enviado por privado"),
        "private": ("mi teléfono es {phone}, llamadme por favor", "mi número de cliente es {account}"),
        "still_broken": ("sigue sin funcionar", "os escribí ayer por privado y nada"),
        "thanks": ("ya funciona, ¡gracias!", "solucionado, muchas gracias"),
        "question": ("¿cuánto va a tardar?", "¿me vais a compensar?"),
    },
    replies={
        "apology_dm": (
            "Hola {first}, sentimos las molestias. ¿Nos escribes por DM con tus datos para revisarlo?",
            "Lo sentimos, {first}. Escríbenos por privado y lo miramos enseguida.",
        ),
        "outage_ack": (
            "Hola {first}, hay una incidencia en {city} y nuestros técnicos ya están trabajando. "
            "Esperamos solucionarlo hacia las {eta}.",
        ),
        "answer": ("¡Hola {first}! Lo tienes en la app, en Ajustes > Cuenta.",),
        "thanks": ("¡Muchas gracias, {first}! Se lo pasamos al equipo 💙",),
        "feedback": ("Gracias por la sugerencia, {first}. La compartimos con el equipo.",),
        "dm_received": ("Gracias {first}, te respondemos por privado.",),
        "delete_private": ("{first}, por seguridad borra ese mensaje con tus datos y escríbenos por DM.",),
        "escalate": ("Lamentamos que siga igual, {first}. Lo hemos escalado al equipo técnico.",),
        "glad": ("¡Nos alegra, {first}! 😊",),
        "info": ("Recibirás un correo de confirmación en 24 horas, {first}.",),
        "status": ("Estamos al tanto de una incidencia en {city}. Os iremos informando por aquí.",),
    },
    promises=("Te escribo mañana por la mañana.", "Te contamos algo antes de las 17:00."),
    greetings=("Hola {first}, ", ""),
    spam=("gana 500€ al día desde casa 💰 {url}", "sorteo de {name}: participa aquí {url}"),
    emoji=EMOJI,
)

FR = LanguageBank(
    lang="fr",
    complaint={
        "isp": (
            "toujours pas de connexion après {days} jours, c'est inadmissible",
            "la box redémarre toute seule dix fois par jour",
            "le technicien n'est jamais venu",
        ),
        "airline": (
            "vol retardé de {hours} heures, aucune information",
            "ma valise n'est pas arrivée à {city}",
            "vol annulé et toujours pas remboursé",
        ),
        "bank": (
            "ma carte est refusée alors que j'ai de l'argent sur le compte",
            "prélevé deux fois pour le même achat",
            "impossible de me connecter à l'appli depuis la mise à jour",
        ),
        "streaming": (
            "l'appli plante dès que je lance un épisode",
            "encore une hausse de prix ?",
            "les sous-titres sont complètement décalés",
        ),
        "general": ("service client injoignable", "c'est de pire en pire"),
    },
    question={
        "isp": ("comment je change le mot de passe du wifi ?", "la fibre est-elle disponible dans ma rue ?"),
        "airline": ("quelle est la franchise bagage pour {city} ?", "mon vol de demain est-il maintenu ?"),
        "bank": ("y a-t-il des frais pour payer à l'étranger ?", "comment augmenter mon plafond ?"),
        "streaming": ("la saison 3 sort quand ?", "on peut télécharger les épisodes ?"),
        "general": ("quel numéro faut-il appeler ?",),
    },
    outage={
        "isp": ("plus d'internet à {city} {since}", "{alias} en panne à {city} ? plus rien ne marche"),
        "airline": ("le site de {name} est en panne, impossible de s'enregistrer",),
        "bank": ("l'appli {name} est en panne ? impossible de me connecter {since}",),
        "streaming": ("{alias} en panne ? erreur sur tous les écrans", "{name} ne charge plus à {city}"),
        "general": ("{name} en panne ?",),
    },
    praise={
        "general": (
            "merci {b}, problème réglé en cinq minutes",
            "conseiller au top, merci beaucoup",
            "franchement rien à dire, service impeccable",
        )
    },
    feedback={
        "general": (
            "ce serait bien d'avoir un mode sombre dans l'appli",
            "le site pourrait être plus clair sur les tarifs",
        )
    },
    other=("la nouvelle pub {name} est vraiment réussie", "entretien chez {name} demain, croisez les doigts"),
    frames={
        "complaint": ("{b} {core}", "{core} {b}", "{b} {core}. {esc}"),
        "question": ("{b} {core}", "bonjour {b}, {core}"),
        "outage_report": ("{b} {core}", "{core} {tag}", "{core}"),
        "praise": ("{core}", "{core} {b}"),
        "feedback": ("{b} {core}",),
        "other": ("{core}",),
    },
    escalations=("inadmissible", "je vais résilier", "c'est une honte"),
    since=("depuis {h}", "depuis ce matin", "depuis {hours} heures"),
    followups={
        "dm_sent": ("c'est fait, je vous ai écrit en MP",),
        "private": ("mon numéro : {phone}, rappelez-moi", "ma référence client : {account}"),
        "still_broken": ("toujours rien", "je vous ai écrit hier, aucune réponse"),
        "thanks": ("ça remarche, merci !", "réglé, merci beaucoup"),
        "question": ("ça va prendre combien de temps ?",),
    },
    replies={
        "apology_dm": (
            "Bonjour {first}, désolés pour la gêne. Pouvez-vous nous écrire en MP pour que l'on vérifie ?",
        ),
        "outage_ack": (
            "Bonjour {first}, un incident touche {city} et nos équipes sont mobilisées. "
            "Retour à la normale prévu vers {eta}.",
        ),
        "answer": ("Bonjour {first} ! Vous trouverez cela dans l'appli, rubrique Paramètres > Compte.",),
        "thanks": ("Merci beaucoup {first}, nous transmettons à l'équipe ! 💙",),
        "feedback": ("Merci pour la suggestion {first}, nous la transmettons.",),
        "dm_received": ("Merci {first}, nous vous répondons en MP.",),
        "delete_private": ("{first}, pour votre sécurité, supprimez ce message et écrivez-nous en MP.",),
        "escalate": ("Désolés {first}, nous avons transmis votre dossier à l'équipe technique.",),
        "glad": ("Ravis d'avoir pu aider, {first} ! 😊",),
        "info": ("Vous recevrez un e-mail de confirmation sous 24 heures, {first}.",),
        "status": ("Un incident est en cours à {city}. Nous vous tenons informés ici.",),
    },
    promises=("Je reviens vers vous demain matin.", "Je vous recontacte avant 17h."),
    greetings=("Bonjour {first}, ", ""),
    emoji=EMOJI,
)

DE = LanguageBank(
    lang="de",
    complaint={
        "isp": (
            "seit {days} Tagen kein Internet und keiner meldet sich",
            "bezahle für 250 Mbit und bekomme 8",
            "der Techniker ist nicht gekommen, Urlaubstag umsonst genommen",
        ),
        "airline": (
            "Flug {hours} Stunden verspätet und keine einzige Info",
            "mein Koffer ist nicht in {city} angekommen",
            "Flug gestrichen und die Erstattung dauert ewig",
        ),
        "bank": (
            "Karte wird abgelehnt obwohl genug Geld auf dem Konto ist",
            "Zahlung zweimal abgebucht",
            "die App sperrt mich ständig aus",
        ),
        "streaming": ("die App stürzt bei jeder Folge ab", "schon wieder eine Preiserhöhung?"),
        "general": ("Kundenservice nicht erreichbar", "wird immer schlimmer"),
    },
    question={
        "isp": ("wie ändere ich das WLAN-Passwort?", "gibt es Glasfaser in meiner Straße?"),
        "airline": ("wie viel Gepäck darf ich nach {city} mitnehmen?", "findet mein Flug morgen statt?"),
        "bank": ("kostet die Karte im Ausland extra?", "wie lange dauert eine neue Karte?"),
        "streaming": ("wann kommt Staffel 3?", "kann man Folgen herunterladen?"),
        "general": ("welche Nummer kann ich anrufen?",),
    },
    outage={
        "isp": ("kein Internet in {city} {since}", "ist {alias} in {city} down? nichts lädt"),
        "airline": ("die Website von {name} geht nicht, Check-in unmöglich",),
        "bank": ("ist die {name} App down? Login geht {since} nicht",),
        "streaming": ("{alias} down? Fehler auf allen Geräten", "{name} lädt in {city} nicht"),
        "general": ("ist {name} down?",),
    },
    praise={
        "general": (
            "danke {b}, in fünf Minuten gelöst",
            "super freundlicher Support, danke!",
            "endlich mal ein Service, der funktioniert",
        )
    },
    feedback={"general": ("ein Dark Mode in der App wäre schön", "die Preise könnten transparenter sein")},
    other=(
        "neue {name} Werbung gesehen, ganz witzig",
        "morgen Vorstellungsgespräch bei {name}, drückt mir die Daumen",
    ),
    frames={
        "complaint": ("{b} {core}", "{core} {b}", "{b} {core}. {esc}"),
        "question": ("{b} {core}", "hallo {b}, {core}"),
        "outage_report": ("{b} {core}", "{core} {tag}", "{core}"),
        "praise": ("{core}", "{core} {b}"),
        "feedback": ("{b} {core}",),
        "other": ("{core}",),
    },
    escalations=("unfassbar", "ich kündige", "echt eine Frechheit"),
    since=("seit {h} Uhr", "seit heute morgen", "seit {hours} Stunden"),
    followups={
        "dm_sent": ("erledigt, DM ist raus",),
        "private": ("meine Nummer ist {phone}, bitte zurückrufen", "Kundennummer: {account}"),
        "still_broken": ("geht immer noch nicht", "gestern DM geschickt, keine Antwort"),
        "thanks": ("läuft wieder, danke!", "alles gut jetzt, vielen Dank"),
        "question": ("wie lange dauert das noch?",),
    },
    replies={
        "apology_dm": ("Hallo {first}, das tut uns leid. Schreib uns bitte eine DM, dann schauen wir nach.",),
        "outage_ack": (
            "Hallo {first}, es gibt eine Störung in {city}, unsere Techniker arbeiten daran. "
            "Wir rechnen mit einer Lösung gegen {eta}.",
        ),
        "answer": ("Hallo {first}! Das findest du in der App unter Einstellungen > Konto.",),
        "thanks": ("Vielen Dank, {first}! Wir geben das ans Team weiter 💙",),
        "feedback": ("Danke für den Vorschlag, {first}. Wir leiten ihn weiter.",),
        "dm_received": ("Danke {first}, wir antworten dir per DM.",),
        "delete_private": ("{first}, bitte lösch den Beitrag mit deinen Daten und schreib uns per DM.",),
        "escalate": ("Sorry {first}, wir haben das an die Technik eskaliert.",),
        "glad": ("Freut uns, {first}! 😊",),
        "info": ("Du bekommst innerhalb von 24 Stunden eine Bestätigung per E-Mail, {first}.",),
        "status": ("Aktuell gibt es eine Störung in {city}. Wir halten euch hier auf dem Laufenden.",),
    },
    promises=("Ich melde mich morgen früh.", "Ich melde mich bis 17 Uhr."),
    greetings=("Hallo {first}, ", ""),
    emoji=EMOJI,
)

PT = LanguageBank(
    lang="pt",
    complaint={
        "isp": ("estou sem internet há {days} dias", "pago 500 mega e chega 10, vergonha"),
        "airline": (
            "voo atrasado {hours} horas e ninguém explica nada",
            "minha mala não chegou em {city}",
            "cancelaram meu voo e o reembolso não cai",
        ),
        "bank": ("cartão recusado com saldo na conta", "cobrança duplicada e ninguém resolve"),
        "streaming": ("o app fecha sozinho toda vez", "aumentaram o preço de novo?"),
        "general": ("atendimento péssimo", "ninguém atende o telefone"),
    },
    question={
        "isp": ("como mudo a senha do wifi?",),
        "airline": ("qual a franquia de bagagem para {city}?", "meu voo de amanhã está confirmado?"),
        "bank": ("tem taxa para usar o cartão no exterior?",),
        "streaming": ("quando sai a terceira temporada?",),
        "general": ("qual o número do atendimento?",),
    },
    outage={
        "isp": ("sem internet em {city} {since}", "{alias} caiu em {city}? nada carrega"),
        "airline": ("o site da {name} está fora do ar, não consigo fazer check-in",),
        "bank": ("o app do {name} caiu? não consigo entrar {since}",),
        "streaming": ("{alias} fora do ar? erro em todos os aparelhos",),
        "general": ("{name} fora do ar?",),
    },
    praise={
        "general": (
            "obrigado {b}, resolveram em cinco minutos",
            "atendimento nota 10",
            "a equipe em {city} foi super atenciosa",
        )
    },
    feedback={"general": ("seria ótimo ter modo escuro no app", "o site podia explicar melhor as tarifas")},
    other=("vi a propaganda nova da {name}, muito boa", "entrevista na {name} amanhã, torçam por mim"),
    frames={
        "complaint": ("{b} {core}", "{core} {b}", "{b} {core}. {esc}"),
        "question": ("{b} {core}", "olá {b}, {core}"),
        "outage_report": ("{b} {core}", "{core} {tag}", "{core}"),
        "praise": ("{core}", "{core} {b}"),
        "feedback": ("{b} {core}",),
        "other": ("{core}",),
    },
    escalations=("que vergonha", "vou cancelar", "absurdo"),
    since=("desde as {h}", "desde de manhã", "há {hours} horas"),
    followups={
        "dm_sent": ("pronto, mandei DM",),
        "private": ("meu telefone é {phone}, me liguem", "meu número de cliente é {account}"),
        "still_broken": ("continua sem funcionar", "mandei DM ontem e nada"),
        "thanks": ("voltou, obrigado!", "resolvido, valeu!"),
        "question": ("quanto tempo vai demorar?",),
    },
    replies={
        "apology_dm": (
            "Olá {first}, sentimos muito. Pode nos mandar uma DM com seus dados para verificarmos?",
        ),
        "outage_ack": (
            "Olá {first}, há uma instabilidade em {city} e nossa equipe já está trabalhando. "
            "Previsão de normalização às {eta}.",
        ),
        "answer": ("Olá {first}! Está no app, em Configurações > Conta.",),
        "thanks": ("Muito obrigado, {first}! Vamos passar para a equipe 💙",),
        "feedback": ("Obrigado pela sugestão, {first}. Vamos compartilhar com o time.",),
        "dm_received": ("Obrigado {first}, respondemos por DM.",),
        "delete_private": (
            "{first}, por segurança apague essa mensagem com seus dados e fale conosco por DM.",
        ),
        "escalate": ("Sentimos muito, {first}. Encaminhamos para a equipe técnica.",),
        "glad": ("Que bom, {first}! 😊",),
        "info": ("Você vai receber um e-mail de confirmação em até 24 horas, {first}.",),
        "status": ("Estamos cientes de uma instabilidade em {city}. Atualizaremos por aqui.",),
    },
    promises=("Volto a falar com você amanhã cedo.", "Te dou um retorno até as 17h."),
    greetings=("Olá {first}, ", ""),
    spam=("ganhe dinheiro em casa 💰 {url}",),
    emoji=EMOJI,
)

JA = LanguageBank(
    lang="ja",
    complaint={
        "isp": ("{days}日もネットが繋がらない", "夜になると回線が遅すぎる"),
        "airline": ("{hours}時間遅延して説明もなし", "荷物が{city}に届いていない"),
        "bank": ("残高あるのにカードが使えない", "アプリにログインできない"),
        "streaming": ("アプリが毎回落ちる", "また値上げ？"),
        "general": ("サポートに電話が繋がらない",),
    },
    question={
        "isp": ("Wi-Fiのパスワードはどこで変更できますか？",),
        "airline": ("{city}行きの手荷物の重量制限は？",),
        "bank": ("海外でカードを使うと手数料はかかりますか？",),
        "streaming": ("シーズン3はいつ配信されますか？",),
        "general": ("問い合わせの電話番号を教えてください",),
    },
    outage={
        "isp": ("{city}でネットが繋がらない、障害？", "{since}ずっと回線が落ちてる"),
        "airline": ("{name}のサイトが落ちててチェックインできない",),
        "bank": ("{name}のアプリ障害？{since}ログインできない",),
        "streaming": ("{name}見れないんだけど障害？", "{city}で{name}がエラーになる"),
        "general": ("{name}障害？",),
    },
    praise={"general": ("{b} 対応がすごく丁寧でした、ありがとう", "すぐに解決してくれて助かった")},
    feedback={"general": ("アプリにダークモードが欲しい",)},
    other=("{name}の新しいCM好き",),
    frames={
        "complaint": ("{b} {core}", "{core} {b}"),
        "question": ("{b} {core}",),
        "outage_report": ("{core} {tag}", "{core}"),
        "praise": ("{core}",),
        "feedback": ("{b} {core}",),
        "other": ("{core}",),
    },
    escalations=("ひどすぎる", "解約します"),
    since=("{h}から", "朝から"),
    followups={
        "dm_sent": ("DM送りました",),
        "private": ("電話番号は{phone}です、折り返しお願いします",),
        "still_broken": ("まだ直りません",),
        "thanks": ("直りました、ありがとうございます！",),
        "question": ("どのくらいかかりますか？",),
    },
    replies={
        "apology_dm": ("{first}様、ご迷惑をおかけし申し訳ございません。詳細をDMでお送りいただけますか。",),
        "outage_ack": (
            "{first}様、現在{city}で障害が発生しており、復旧作業中です。{eta}頃の復旧を見込んでいます。",
        ),
        "answer": ("{first}様、アプリの「設定」>「アカウント」から変更いただけます。",),
        "thanks": ("{first}様、温かいお言葉ありがとうございます！",),
        "feedback": ("{first}様、貴重なご意見ありがとうございます。担当部署に共有いたします。",),
        "dm_received": ("{first}様、DMを確認しました。DMにてご案内いたします。",),
        "delete_private": ("{first}様、個人情報保護のため、投稿の削除をお願いいたします。",),
        "escalate": ("{first}様、申し訳ございません。技術チームに確認を依頼しました。",),
        "glad": ("{first}様、解決してよかったです！",),
        "info": ("{first}様、24時間以内に確認メールをお送りいたします。",),
        "status": ("現在{city}で障害が発生しております。復旧次第お知らせいたします。",),
    },
    promises=("明日の午前中に改めてご連絡いたします。",),
    greetings=("",),
    emoji=EMOJI,
)

LANGUAGES: dict[str, LanguageBank] = {bank.lang: bank for bank in (EN, ES, FR, DE, PT, JA)}
