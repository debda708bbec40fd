# Customer-facing text. Every key here must exist in every other locale, with the same variables.

ack-new-conversation = We received your message. Your ticket is { $reference }; an agent will reply here. Our staff never message you first and never ask for your recovery phrase or private key.
welcome = Hello! This is the support desk. Tell us what happened and we will help. Type /help to see what I can do.
help =
    You can write to us in your own words. Commands:
    /status: the state of your ticket
    /human: ask for a person
    /lang CODE: change the language (for example /lang zh-CN)
    /link: join this chat with the one in another app
    /verify @handle: check whether someone is really our staff
    /complaint: make a formal complaint about your ticket
    /stop: receive no more announcements
lang-changed = I will write to you in English from now on.
lang-unknown = I cannot write in "{ $code }" yet. Available: { $available }.
status-none = You have no ticket with us yet. Just write your question and we will open one.
status-open = Your ticket { $reference } is open; an agent will reply here.
status-pending = Your ticket { $reference } is waiting for your reply.
status-resolved = Your ticket { $reference } is resolved. Write again if you still need help.
handoff = I have asked a person to take over ticket { $reference }. They will reply here.
secret-redacted =
    Never share your recovery phrase or private key with anyone, including us: anyone who asks for it is a scammer.
    We removed it from your message and did not store it. Move your funds to a new wallet now, because it may no longer be safe.

# The web-chat page.
webchat-title = Support chat
webchat-intro = Ask us anything. A person usually answers within { $within }.
webchat-name-label = Your name (optional)
webchat-start = Start chat
webchat-placeholder = Type your message…
webchat-send = Send
webchat-you = You
webchat-agent = Support
webchat-error = Could not reach the server. Retrying…

# /link: joining the identities a customer uses on several channels.
link-code = Your code is { $code }. Within 15 minutes, send /link { $code } from the other app you use to write to us, and we will see both conversations together.
link-done = Done: we now see your messages from both apps together.
link-invalid = That code is unknown or has expired. Send /link to get a new one.

# /verify HANDLE: is this handle our staff?
verify-usage = Send /verify followed by the handle you want to check, for example /verify @SupportAnn.
verify-staff = Yes: { $handle } is { $name }, our staff on { $channel }. Even so, staff never ask for your recovery phrase or private key.
verify-impostor = WARNING: { $handle } is NOT our staff. It imitates our { $channel } account { $real }. Do not answer it, send it nothing, and never share your recovery phrase.
verify-unknown = { $handle } is not our staff. Our staff never message you first and never ask for your recovery phrase or private key.

# Command descriptions shown by chat apps (Telegram's command menu).
command-start = Start a conversation with support
command-help = What I can do
command-status = The state of your ticket
command-human = Ask for a person
command-lang = Change the language, e.g. /lang zh-CN
command-verify = Check whether a handle is really our staff
command-link = Join this chat with your other apps
command-complaint = Make a formal complaint
command-stop = Receive no more announcements

# A file the customer sent is over the size limit.
attachment-too-large = We could not keep { $files }: files can be at most { $limit }. Please send a smaller file or a link.

# The options of commands that take one.
command-option-code = The code
command-option-handle = The handle to check, e.g. @alice

# Command names where a platform shows them translated (Discord); English keeps the originals.
command-name-start = start
command-name-help = help
command-name-status = status
command-name-human = human
command-name-lang = lang
command-name-verify = verify
command-name-link = link
command-name-complaint = complaint
command-name-stop = stop

# The support bot
bot-did-it-help = Did this solve it?
bot-solved-yes = Yes, solved
bot-solved-no = No, I need a person
bot-glad = Glad it helped! Write again any time.
bot-offer = I found a few articles that may help. Which one matches your question?
bot-cross-lingual = (This answer is only available in another language for now.)
bot-handoff = I've passed your ticket { $reference } to our support team. A person will answer here, usually within { $within }; you don't need to write again. Our staff will never ask for your recovery phrase or private key.
bot-handoff-off-hours = I've passed your ticket { $reference } to our support team. They are away right now and will answer here from { DATETIME($when, dateStyle: "full", timeStyle: "short") } ({ $zone }); you don't need to write again. Meanwhile I can still answer general questions. Our staff will never ask for your recovery phrase or private key.
message-unreadable = [This message could not be read or stored. Its text is not kept; please ask the customer to send it again.]
redacted-seed-phrase = [redacted: recovery phrase]
redacted-private-key = [redacted: private key]
response-time = { $unit ->
    [minute] { $n ->
        [one] a minute
       *[other] { $n } minutes
    }
    [day] { $n ->
        [one] a day
       *[other] { $n } days
    }
   *[hour] { $n ->
        [one] an hour
       *[other] { $n } hours
    }
}
bot-scam-warning = This is a scam. No one — not our staff, not an admin, not a "recovery service" — will ever need your recovery phrase, your private key, remote access to your device or a fee to release your funds. Do not share them, do not pay, and do not connect your wallet to the site they sent. If you already did, move your funds to a new wallet with a new recovery phrase right now. A person from our team will look at this conversation.

# One button per rating, 1 to 5.
csat-button-1 = ★
csat-button-2 = ★★
csat-button-3 = ★★★
csat-button-4 = ★★★★
csat-button-5 = ★★★★★
csat-ask = Your ticket { $reference } was resolved. How satisfied are you with the help you got? Please rate it from 1 (poor) to 5 (excellent).
csat-thanks = Thank you for your rating! If you like, tell us in your next message what we could do better.
csat-comment-thanks = Thank you, your comment reached the team.
# The page a link in an e-mail opens to confirm a choice (a rating, "solved"): nothing is
# recorded until its button is pressed.
choice-page-title = Your answer
choice-page-question = Your answer for ticket { $reference }: { $label }
choice-page-confirm = Send: { $label }
choice-page-done = Thank you! Your answer was recorded.
choice-page-already = Your answer was already recorded. Thank you!
choice-page-invalid = This link is not valid. It may have been copied incompletely.
choice-page-unavailable = This page is unavailable for a moment. Please try again shortly.
csat-page-title = Rate your support
csat-page-question = Your rating for ticket { $reference }: { $label }

## Transaction lookups: the bot's answers when a customer pastes a transaction hash
tx-pending = Your transaction { $hash } is on { $network }, waiting to be included in a block. Once it is, it needs { $required ->
        [one] { $required } confirmation
       *[other] { $required } confirmations
    } to be credited: about { $eta } from now.
tx-confirming = Your transaction { $hash } is confirmed on { $network } in block { $block }, with { $confirmations } of the { $required ->
        [one] { $required } confirmation
       *[other] { $required } confirmations
    } needed. It will be credited after { $required ->
        [one] { $required } confirmation
       *[other] { $required } confirmations
    }, in about { $eta }.
tx-credited = Your transaction { $hash } is complete on { $network } (block { $block }, confirmations: { $confirmations }). It needs no more confirmations.
tx-moved = It moved { $what } to { $to }.
tx-not-credited = The network shows your transaction { $hash } as complete on { $network } (confirmations: { $confirmations }), so a person from our team will check why it has not been credited to you yet.
tx-failed = Your transaction { $hash } failed on { $network } (block { $block }): nothing was transferred; only the network fee was spent.
tx-not-found = I could not find the transaction { $hash } on { $networks }. Please check that the hash is complete and that the transfer was really sent.
tx-wrong-network = The transaction { $hash } was sent on { $found }, not on { $named }. Funds sent on the wrong network need our team's help to recover.
tx-unavailable = I cannot check the transaction { $hash } on the network right now.
tx-reorganized = The network dropped the block your transaction { $hash } was in, so it is not final yet.
tx-status-pending = pending
tx-status-confirmed = confirmed
tx-status-credited = final
tx-status-failed = failed
tx-status-not_found = not found

## Incidents: the bot's answer to a question about one, and every change told to linked customers.
incident-answer =
    We know about this: { $title }.

    { $message }

    Your ticket { $reference } is linked to it, and we will tell you here as soon as anything changes. You don't need to write again.
incident-update =
    Update on { $title }: { $status }.

    { $message }
incident-resolved =
    Resolved: { $title }.

    { $message }

    We have closed your ticket { $reference }. If something is still wrong for you, just write here and a person will look at it.
incident-no-message = We will share more here as soon as we know it.
incident-status-suggested = under review
incident-status-investigating = we are investigating
incident-status-monitoring = a fix is in place and we are monitoring it
incident-status-resolved = resolved

## Complaints: each stage told to the customer; /status shows it.
complaint-received = We have registered your complaint on ticket { $reference }. A person from our team owns it now, and you will have our answer within { $due }. We will tell you here at each step.
complaint-investigating = Your complaint on ticket { $reference } is being investigated. You will have our answer within { $due }.
complaint-resolution-proposed = We have proposed a resolution to your complaint on ticket { $reference }. Please read it and tell us here whether it settles the matter.
complaint-closed = Your complaint on ticket { $reference } is closed. Thank you for telling us. If anything is still not right, send /complaint again.
complaint-stage-received = received
complaint-stage-investigating = being investigated
complaint-stage-resolution-proposed = resolution proposed
complaint-stage-closed = closed
status-complaint = Your complaint on ticket { $reference }: { $stage }.

## /stop: no more announcements.
stop-done = You will receive no more announcements from us. Your tickets are not affected, and we still answer here.

## Peak-load mode: a waiting customer's place in the queue.
queue-place = We are busier than usual. Your ticket { $reference } is number { $position } in the queue, and a person should answer in about { $wait }. Your place is kept: you don't need to write again.
queue-place-unknown = We are busier than usual. Your ticket { $reference } is number { $position } in the queue, and a person will answer as soon as one is free. Your place is kept: you don't need to write again.

## Announcements: how a customer stops them.
announcement-stop = (An announcement from our support team. Send /stop to receive no more.)
