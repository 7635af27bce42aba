-- The outbox: every e-mail the platform sends is written here first, in the transaction that
-- caused it, then sent over SMTP when SMTP_URL is set. Without a mail server the platform still
-- works: administrators read the outbox in the UI.
create table platform.outbox (
  id uuid primary key default gen_random_uuid(),
  to_address text not null,
  subject text not null,
  body_text text not null,
  created_at timestamptz not null default now(),
  sent_at timestamptz,
  attempts integer not null default 0,
  next_attempt_at timestamptz not null default now(),
  last_error text
);
create index outbox_pending_idx on platform.outbox (next_attempt_at) where sent_at is null;
