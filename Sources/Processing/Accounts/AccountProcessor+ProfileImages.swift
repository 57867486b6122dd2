import Core
import Foundation
import MediaProcessing
import Storage

extension AccountProcessor {
    /// Which of the two profile pictures.
    package enum ProfileImage: Sendable {
        case avatar, header

        /// Avatars are shown small and square, headers wide: each is kept at the size Mastodon keeps
        /// (400 px, 1500 px on the long side), re-encoded without metadata.
        var processor: ImageProcessor {
            switch self {
            case .avatar: ImageProcessor(maxSide: 400, maxPixels: 400 * 400, previewSide: 400)
            case .header: ImageProcessor(maxSide: 1500, maxPixels: 1500 * 500, previewSide: 640)
            }
        }

        /// The largest upload accepted (Mastodon: 2 MB for avatars, 2 MB for headers; more here, since
        /// the file is re-encoded small anyway).
        package static let maxBytes = 8 * 1024 * 1024
    }

    /// Replaces the viewer's avatar or header with `data` (processed like any upload: the real type
    /// sniffed, decompression bombs refused, metadata stripped), or back to the default with nil;
    /// followers' servers get the new profile.
    package func setProfileImage(_ which: ProfileImage, to data: Data?, of viewer: Viewer) async throws -> AccountView {
        guard let accountID = viewer.accountID else {
            throw DomainError.unauthorized("This method requires an authenticated user")
        }
        var newKey: String?
        if let data {
            guard !data.isEmpty else { throw DomainError.validation("Validation failed: File can't be blank") }
            guard data.count <= ProfileImage.maxBytes else {
                throw DomainError.validation("Validation failed: File file size must be less than 8 MB")
            }
            let processor = which.processor
            let result: Result<ProcessedImage, any Error> = await MediaProcessor.gate.run {
                Result { try processor.process(data) }
            }
            let image: ProcessedImage
            switch result {
            case .success(let processed): image = processed
            case .failure(let error as MediaError): throw MediaProcessor.domainError(error)
            case .failure(let error): throw error
            }
            let ext = image.originalFormat.fileExtension
            let key = LocalMediaStore.newKey(extension: ext)
            try await self.context.media.put(image.original, key: key)
            newKey = key
        }
        let stored = newKey
        guard let current = try await self.context.db.read({ try await $0.account(id: accountID) }) else {
            throw DomainError.notFound
        }
        let publicKey = try await self.context.federation.keys.publicKeyPEM(for: current)
        // The new picture and the Update for followers' servers commit together.
        let oldKey = try await self.context.db.transaction { session -> String? in
            guard var account = try await session.account(id: accountID) else { throw DomainError.notFound }
            let old = which == .avatar ? account.avatarKey : account.headerKey
            try await session.updateProfileImage(accountID, header: which == .header, key: stored)
            if which == .avatar { account.avatarKey = stored } else { account.headerKey = stored }
            try await Outbox(self.context).updateProfile(account, publicKey: publicKey, in: session)
            return old
        }
        if let oldKey, oldKey != stored { try? await self.context.media.delete(oldKey) }
        return try await self.credentials(of: viewer)
    }
}
