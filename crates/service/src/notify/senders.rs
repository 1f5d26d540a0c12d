//! How messages leave yici besides the message centre: e-mail through an
//! SMTP server (lettre), and text messages through an SMS provider, of
//! which the one built in is a sandbox that only logs what it would send.

use lettre::message::header::{ContentTransferEncoding, ContentType};
use lettre::message::{Body, Mailbox};
use lettre::{AsyncSmtpTransport, AsyncTransport, Tokio1Executor};

/// An SMTP server and the sender's address.
pub struct Mail {
    transport: AsyncSmtpTransport<Tokio1Executor>,
    from: Mailbox,
}

impl Mail {
    /// `url` as lettre reads it: `smtp://host:port` (plain; add
    /// `?tls=required` for STARTTLS) or `smtps://host:port`, with
    /// `user:password@` when the server wants it; `from` an address
    /// (`一次政务服务 <noreply@yici.example.com>`).
    pub fn new(url: &str, from: &str) -> Result<Self, String> {
        let transport = AsyncSmtpTransport::<Tokio1Executor>::from_url(url)
            .map_err(|e| format!("SMTP URL {url:?}: {e}"))?
            .build();
        let from = from
            .parse()
            .map_err(|e| format!("sender address {from:?}: {e}"))?;
        Ok(Mail { transport, from })
    }

    /// Sends one plain-text e-mail.
    pub(crate) async fn send(&self, to: &str, subject: &str, body: String) -> Result<(), String> {
        let to: Mailbox = to.parse().map_err(|e| format!("address {to:?}: {e}"))?;
        let email = lettre::Message::builder()
            .from(self.from.clone())
            .to(to)
            .subject(subject)
            .header(ContentType::TEXT_PLAIN)
            // Base64 whatever the text: mail gateways pass it unchanged.
            .body(
                Body::new_with_encoding(body, ContentTransferEncoding::Base64)
                    .map_err(|_| "the text cannot be encoded".to_owned())?,
            )
            .map_err(|e| e.to_string())?;
        self.transport
            .send(email)
            .await
            .map(|_| ())
            .map_err(|e| e.to_string())
    }
}

/// The SMS provider.
#[derive(Debug, Clone, Copy, Default)]
pub enum Sms {
    /// Logs what it would send (a log line, target `yici_sms_sandbox`) and
    /// sends nothing.
    #[default]
    Sandbox,
}

impl Sms {
    /// Sends (or, in the sandbox, logs) one text message.
    pub(crate) async fn send(&self, phone: &str, text: &str) -> Result<(), String> {
        match self {
            Sms::Sandbox => {
                tracing::info!(target: "yici_sms_sandbox", phone, text, "SMS (sandbox: not sent)");
                Ok(())
            }
        }
    }
}

/// The senders a server has.
#[derive(Default)]
pub struct Senders {
    /// E-mail; `None`: no SMTP server configured, e-mails are skipped.
    pub mail: Option<Mail>,
    /// Text messages.
    pub sms: Sms,
}

impl std::fmt::Debug for Senders {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Senders")
            .field("mail", &self.mail.is_some())
            .field("sms", &self.sms)
            .finish()
    }
}
