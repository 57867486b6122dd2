import Core
import Federation
import Foundation
import Storage

extension InboxProcessor {
    /// `Move` of the signer to a target account: accepted only when the object is the signer and the
    /// target (fetched again) lists the signer in `alsoKnownAs`; then the signer's local followers move.
    func move(_ activity: JSON, signer: Account) async throws {
        guard activity["object"]?.id == signer.uri else { throw InboxRejection("Move of someone else") }
        guard let target = activity["target"]?.id else { throw InboxRejection("Move without a target") }
        guard signer.movedToURI != target else { return }  // the same Move again
        do {
            try await MigrationProcessor(self.context).acceptMove(of: signer, to: target)
        } catch let error as DomainError {
            throw InboxRejection("Move refused: \(error.userMessage)")
        }
    }
}
