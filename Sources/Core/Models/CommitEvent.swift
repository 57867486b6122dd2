/// Something a committed transaction did that live listeners (the streaming API) may want to hear of.
/// Storage records them as it writes and hands them over only after the commit succeeded.
package enum CommitEvent: Sendable, Equatable {
    /// A status (or reblog) was stored, with its home-feed rows.
    case statusCreated(Status.ID)
    /// A status's text changed.
    case statusEdited(Status.ID)
    /// A status was deleted.
    case statusDeleted(Status.ID)
    /// A notification was stored for a local account.
    case notification(Notification.ID, account: Account.ID)
}
