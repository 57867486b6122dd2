import Core
import Foundation
import Logging
import Mail
import Storage

/// How this server sends email: the sender address and a transport (SMTP or a sendmail binary).
/// A server without one confirms sign-ups at once and offers no password reset by email.
package struct Mailer: Sendable {
    package let from: MailAddress
    package let transport: any MailTransport

    package init(from: MailAddress, transport: any MailTransport) {
        self.from = from
        self.transport = transport
    }

    /// Sends a queued mail. A permanent failure (the server refused the address, a bad header) is
    /// logged and dropped; anything else throws so the job is tried again later.
    func send(_ mail: OutgoingMail, logger: Logger) async throws {
        let message: MailMessage
        do {
            message = MailMessage(
                from: self.from,
                to: [try MailAddress(mail.to)],
                subject: mail.subject,
                text: mail.text
            )
        } catch {
            logger.warning("dropping mail with an invalid recipient: \(error)")
            return
        }
        do {
            try await self.transport.send(message)
        } catch let error as MailError {
            switch error {
            case .transient: throw error
            case .permanent, .invalidAddress:
                logger.warning("mail to \(mail.to) dropped: \(error)")
            }
        }
    }
}

extension DBSession {
    /// Queues a mail in this transaction: it is sent only if the transaction commits.
    func enqueueMail(_ mail: OutgoingMail, ids: IDGenerator) async throws {
        try await self.enqueue(.sendMail(mail), id: ids.next(), maxAttempts: 10)
    }
}
