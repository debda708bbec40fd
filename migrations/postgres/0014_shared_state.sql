-- Roles that one instance at a time may hold (the Telegram poller, the Discord gateway, each
-- IMAP mailbox, the timers, each channel's outbox): the holder renews its lease before
-- `expires_at` (milliseconds on the database's clock); another instance may take a lapsed one,
-- and every taking raises `epoch`, the fence a deposed holder's writes are checked against.
CREATE TABLE leases (
    role       TEXT PRIMARY KEY,
    holder     TEXT   NOT NULL,
    epoch      BIGINT NOT NULL,
    expires_at BIGINT NOT NULL
);

-- The epoch of the outbox lease under which an entry was claimed for sending: a delivery is
-- recorded only by the claim's holder (NULL: not claimed yet).
ALTER TABLE outbox ADD COLUMN claim BIGINT;
CREATE INDEX outbox_unclaimed ON outbox(channel, claim) WHERE state = 'pending';

-- Failed sign-ins per key (an e-mail address, a client address), kept for the throttle's
-- window: every instance refuses the same guesses.
CREATE TABLE login_failures (
    subject TEXT NOT NULL,
    at      BIGINT NOT NULL
);
CREATE INDEX login_failures_key ON login_failures(subject, at);
CREATE INDEX login_failures_at ON login_failures(at);
