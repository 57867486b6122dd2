import Foundation

/// One complete reply from an SMTP server: its code and the text of each line (multi-line replies joined).
struct SMTPReply: Sendable, Equatable {
    /// The three-digit reply code, e.g. 250.
    var code: Int
    /// The text after the code on each line, without the separator.
    var lines: [String]

    /// Code and text on one line, as put into error messages: `550 5.1.1 No such user`.
    var summary: String {
        "\(self.code) \(self.lines.joined(separator: " / "))".trimmingCharacters(in: .whitespaces)
    }
}

/// Failures below the SMTP reply level; `SMTPTransport` reports all of them as `MailError.transient`.
enum SMTPClientError: Error, Equatable, CustomStringConvertible {
    /// A reply line exceeded `SMTPClientHandler.maximumLineLength`.
    case lineTooLong
    /// A multi-line reply exceeded `SMTPClientHandler.maximumReplyLines`.
    case tooManyLines
    /// A line did not start with a three-digit code and a separator.
    case malformedReply(String)
    /// The server sent replies nobody asked for, or data after the `STARTTLS` go-ahead.
    case unexpectedData
    /// No reply arrived within the configured timeout.
    case timeout
    /// The connection closed while a reply was expected.
    case connectionClosed
    /// A command was issued while another still waited for its reply (a bug in the caller).
    case replyPending

    var description: String {
        switch self {
        case .lineTooLong: "reply line too long"
        case .tooManyLines: "reply has too many lines"
        case .malformedReply(let line): "malformed reply \(line.prefix(80).debugDescription)"
        case .unexpectedData: "unexpected data from server"
        case .timeout: "timed out waiting for the server"
        case .connectionClosed: "connection closed by server"
        case .replyPending: "command issued while another was pending"
        }
    }
}
