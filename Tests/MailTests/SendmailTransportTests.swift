import Foundation
import Mail
import Testing

/// `SendmailTransport` against `/bin/sh` scripts standing in for sendmail.
@Suite struct SendmailTransportTests {
    static func message() throws -> MailMessage {
        var message = MailMessage(
            from: try MailAddress("notifications@tern.example"),
            to: [try MailAddress("alice@example.org")],
            subject: "Über",
            text: ".leading dot\nsecond line\n",
            date: Date(timeIntervalSince1970: 0)
        )
        message.messageID = "<fixed@tern.example>"
        return message
    }

    @Test func pipesRenderedMessageToTheBinary() async throws {
        let output = FileManager.default.temporaryDirectory.appendingPathComponent("sendmail-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: output) }
        let transport = SendmailTransport(path: "/bin/sh", arguments: ["-c", "cat > \"$0\"", output.path])
        let message = try Self.message()
        try await transport.send(message)
        #expect(Array(try Data(contentsOf: output)) == message.rendered())
    }

    @Test func nonZeroExitIsTransientWithFirstStderrLine() async throws {
        let transport = SendmailTransport(
            path: "/bin/sh",
            arguments: ["-c", "cat > /dev/null; echo 'sendmail: relay denied' >&2; echo detail >&2; exit 75"]
        )
        await #expect(throws: MailError.transient("sendmail: relay denied")) {
            try await transport.send(try Self.message())
        }
    }

    @Test func exitWithoutReadingInputIsTransient() async throws {
        let transport = SendmailTransport(path: "/bin/sh", arguments: ["-c", "exit 1"])
        await #expect(throws: MailError.transient("/bin/sh failed with exit status 1")) {
            try await transport.send(try Self.message())
        }
    }

    @Test func missingBinaryIsTransient() async throws {
        let transport = SendmailTransport(path: "/nonexistent/sendmail")
        await #expect {
            try await transport.send(try Self.message())
        } throws: { error in
            guard case .transient(let text) = error as? MailError else { return false }
            return text.contains("/nonexistent/sendmail")
        }
    }
}

extension SendmailTransportTests {
    @Test func hangingBinaryTimesOut() async throws {
        let transport = SendmailTransport(path: "/bin/sh", arguments: ["-c", "sleep 30"], timeout: .milliseconds(300))
        // Without the timeout the binary would exit 0 after 30 s and the send would succeed.
        await #expect {
            try await transport.send(try Self.message())
        } throws: { error in
            guard case .transient(let text) = error as? MailError else { return false }
            return text.contains("did not finish")
        }
    }

    @Test func forkedHelperKeepingStderrOpenDoesNotBlock() async throws {
        // The helper outlives the binary by longer than the timeout: waiting for it would fail the
        // send with "did not finish" instead of succeeding.
        let transport = SendmailTransport(
            path: "/bin/sh",
            arguments: ["-c", "cat > /dev/null; (sleep 8 &) ; exit 0"],
            timeout: .seconds(5)
        )
        try await transport.send(try Self.message())
    }
}
