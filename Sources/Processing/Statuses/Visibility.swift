import Core

/// Who may see a status: the one place this rule is written.
///
/// - public and unlisted: everyone (unlisted only stays out of public timelines);
/// - private (followers-only): the author, their followers, and accounts mentioned in it;
/// - direct: the author and the accounts mentioned in it.
/// A status that a viewer may not see is "not found" for them, on every path.
package enum VisibilityRule {
    /// Whether `viewer` (nil: anonymous) may see `status`.
    package static func canSee(
        _ status: Status,
        viewer: Account.ID?,
        viewerFollowsAuthor: Bool,
        viewerIsMentioned: Bool
    ) -> Bool {
        switch status.visibility {
        case .public, .unlisted: return true
        case .private:
            guard let viewer else { return false }
            return viewer == status.accountID || viewerFollowsAuthor || viewerIsMentioned
        case .direct:
            guard let viewer else { return false }
            return viewer == status.accountID || viewerIsMentioned
        }
    }

    /// The visibilities of an author's statuses a viewer may list on the author's profile.
    package static func listable(author: Account.ID, viewer: Account.ID?, viewerFollowsAuthor: Bool) -> [Visibility] {
        if viewer == author { return Visibility.allCases }
        if viewerFollowsAuthor { return [.public, .unlisted, .private] }
        return [.public, .unlisted]
    }

    /// Whether `account` may reblog `status`: public and unlisted by anyone, followers-only by its author.
    package static func canReblog(_ status: Status, by account: Account.ID) -> Bool {
        switch status.visibility {
        case .public, .unlisted: true
        case .private: status.accountID == account
        case .direct: false
        }
    }
}
