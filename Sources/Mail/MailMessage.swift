import Foundation

/// One e-mail to send: envelope addresses, a plain-text body and an optional HTML alternative.
///
/// `rendered()` produces the RFC 5322 bytes; both transports call `validate()` first, so a bad extra header fails
/// the send instead of being silently dropped.
package struct MailMessage: Sendable {
    /// The `From` header and the SMTP envelope sender.
    package var from: MailAddress
    /// The `To` header and the SMTP envelope recipients.
    package var to: [MailAddress]
    /// The subject; non-ASCII text is sent as RFC 2047 encoded-words, line breaks become spaces.
    package var subject: String
    /// The plain-text body.
    package var text: String
    /// An optional HTML body; when set the message becomes `multipart/alternative`.
    package var html: String?
    /// The `Message-ID` header including angle brackets, e.g. `<4f0c…@example.org>`.
    package var messageID: String
    /// The `Date` header.
    package var date: Date
    /// Extra headers in order, e.g. `("List-Unsubscribe", "<https://…>")`.
    ///
    /// Names must be printable ASCII without `:`; values must not contain CR or LF. Headers this type writes itself
    /// (Date, From, To, Subject, Message-ID, MIME-Version, Content-*) are refused; `Auto-Submitted` may be overridden.
    package var headers: [(String, String)]

    /// Creates a message with a fresh random Message-ID in the sender's domain.
    package init(
        from: MailAddress,
        to: [MailAddress],
        subject: String,
        text: String,
        html: String? = nil,
        headers: [(String, String)] = [],
        date: Date = Date()
    ) {
        self.from = from
        self.to = to
        self.subject = subject
        self.text = text
        self.html = html
        self.headers = headers
        self.date = date
        self.messageID = Self.makeMessageID(domain: MailAddress.asciiDomain(from.domain))
    }

    /// Returns a new `<random@domain>` message id (128 random bits).
    package static func makeMessageID(domain: String) -> String {
        var generator = SystemRandomNumberGenerator()
        let random = (0..<2).map { _ in String(generator.next() as UInt64, radix: 16) }
        return "<\(random.joined(separator: "."))@\(domain)>"
    }

    /// Header names that `rendered()` writes itself and that `headers` may therefore not repeat.
    static let reservedHeaderNames: Set<String> = [
        "date", "from", "to", "subject", "message-id", "mime-version", "content-type", "content-transfer-encoding",
    ]

    /// Checks what `init` cannot: recipients present, extra headers well-formed, Message-ID syntax.
    ///
    /// Throws `MailError.invalidAddress` for an empty recipient list and `MailError.permanent` for bad headers,
    /// since resending the same message can never succeed.
    package func validate() throws {
        guard !self.to.isEmpty else {
            throw MailError.invalidAddress("message has no recipients")
        }
        for (name, value) in self.headers {
            guard Self.isValidHeaderName(name) else {
                throw MailError.permanent("invalid header name \(name.debugDescription)")
            }
            guard !Self.reservedHeaderNames.contains(name.lowercased()) else {
                throw MailError.permanent("header \(name) is set by the message itself")
            }
            guard !value.unicodeScalars.contains(where: { $0 == "\r" || $0 == "\n" || $0 == "\0" }) else {
                throw MailError.permanent("CR, LF or NUL in header \(name)")
            }
        }
        guard Self.isValidMessageID(self.messageID) else {
            throw MailError.permanent("invalid Message-ID \(self.messageID.debugDescription)")
        }
    }

    /// True for a printable-ASCII field name without `:` of at most 76 characters.
    package static func isValidHeaderName(_ name: String) -> Bool {
        !name.isEmpty && name.utf8.count <= 76
            && name.utf8.allSatisfy { $0 > 32 && $0 < 127 && $0 != UInt8(ascii: ":") }
    }

    /// True for `<left@right>` in printable ASCII without inner angle brackets (no full RFC 5322 msg-id grammar).
    package static func isValidMessageID(_ id: String) -> Bool {
        id.utf8.count <= 250 && id.hasPrefix("<") && id.hasSuffix(">") && id.contains("@")
            && id.utf8.allSatisfy { $0 > 32 && $0 < 127 }
            && id.dropFirst().dropLast().allSatisfy { $0 != "<" && $0 != ">" }
    }
}
