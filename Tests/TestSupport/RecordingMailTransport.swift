import Foundation
import Mail
import Synchronization

/// A mail transport that keeps what it is given, for router tests (the end-to-end tests use a real
/// SMTP server). `failures` makes the next sends fail with that error first.
package final class RecordingMailTransport: MailTransport {
    private let state = Mutex<(sent: [MailMessage], failures: [MailError])>(([], []))

    package init() {}

    package func send(_ message: MailMessage) async throws {
        try self.state.withLock { state in
            if !state.failures.isEmpty { throw state.failures.removeFirst() }
            state.sent.append(message)
        }
    }

    /// Makes the next sends fail, in order.
    package func failNext(_ errors: MailError...) {
        self.state.withLock { $0.failures += errors }
    }

    /// Every message sent so far.
    package var sent: [MailMessage] { self.state.withLock { $0.sent } }

    /// The first `http(s)` link in the newest message to `address` containing `path`.
    package func link(to address: String, containing path: String) -> String? {
        let message = self.sent.last { $0.to.contains { $0.address.lowercased() == address.lowercased() } }
        return message?.text.split(whereSeparator: \.isWhitespace).map(String.init)
            .first { $0.hasPrefix("http") && $0.contains(path) }
    }
}
