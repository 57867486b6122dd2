import Foundation

extension MailMessage {
    /// RFC 5322 bytes with CRLF line endings, ready for SMTP `DATA` (before dot-stuffing) or sendmail.
    ///
    /// Writes Date, From, To, Subject, Message-ID, MIME-Version, Auto-Submitted, the extra headers, then a
    /// quoted-printable `text/plain` body, or a `multipart/alternative` with plain and HTML parts when `html` is set.
    /// Never throws: extra headers that `validate()` would refuse are dropped and stray CR/LF become spaces here, so
    /// nothing can be injected even when a caller skips validation.
    package func rendered() -> [UInt8] {
        var output: [UInt8] = []
        output += HeaderEncoding.field("Date", HeaderEncoding.date(self.date))
        output += HeaderEncoding.field("From", HeaderEncoding.mailbox(self.from))
        output += HeaderEncoding.field("To", self.to.map(HeaderEncoding.mailbox).joined(separator: ", "))
        output += HeaderEncoding.field("Subject", HeaderEncoding.unstructured(self.subject))
        let messageID =
            Self.isValidMessageID(self.messageID)
            ? self.messageID : Self.makeMessageID(domain: MailAddress.asciiDomain(self.from.domain))
        output += HeaderEncoding.field("Message-ID", messageID)
        output += HeaderEncoding.field("MIME-Version", "1.0")
        if !self.headers.contains(where: { $0.0.lowercased() == "auto-submitted" }) {
            output += HeaderEncoding.field("Auto-Submitted", "auto-generated")
        }
        for (name, value) in self.headers
        where Self.isValidHeaderName(name) && !Self.reservedHeaderNames.contains(name.lowercased()) {
            output += HeaderEncoding.field(name, HeaderEncoding.unstructured(value))
        }
        guard let html = self.html else {
            output += Self.textPart(subtype: "plain", self.text)
            return output
        }
        let boundary = "=_alt_\(Self.boundaryToken(messageID))"
        output += HeaderEncoding.field("Content-Type", "multipart/alternative; boundary=\"\(boundary)\"")
        output += Array("\r\nThis is a MIME message with plain-text and HTML versions.\r\n".utf8)
        for part in [Self.textPart(subtype: "plain", self.text), Self.textPart(subtype: "html", html)] {
            output += Array("\r\n--\(boundary)\r\n".utf8)
            output += part
        }
        output += Array("\r\n--\(boundary)--\r\n".utf8)
        return output
    }

    /// Content-Type and Content-Transfer-Encoding headers, a blank line and the quoted-printable body.
    private static func textPart(subtype: String, _ body: String) -> [UInt8] {
        var output = HeaderEncoding.field("Content-Type", "text/\(subtype); charset=utf-8")
        output += HeaderEncoding.field("Content-Transfer-Encoding", "quoted-printable")
        output += [13, 10]
        return output + QuotedPrintable.encode(body)
    }

    /// A stable token derived from the message id (FNV-1a), so rendering is deterministic.
    ///
    /// Uniqueness does not matter: `=_` can never occur in quoted-printable output, so no body line can match.
    private static func boundaryToken(_ messageID: String) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in messageID.utf8 {
            hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3
        }
        return String(hash, radix: 16)
    }
}
