/// Something that delivers a rendered message: an SMTP relay, the local sendmail, or a test double.
package protocol MailTransport: Sendable {
    /// Sends one message; throws `MailError`, whose case says whether retrying can help.
    func send(_ message: MailMessage) async throws
}
