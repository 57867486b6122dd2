/// Why a QR code could not be made. Internal: a caller that shows it to a user should say something of its own.
package enum QRCodeError: Error, Equatable, Sendable {
    /// The text was empty; libqrencode has nothing to encode.
    case emptyText
    /// The text contains U+0000, which libqrencode would silently treat as its end.
    case containsNUL
    /// The text does not fit the largest symbol (version 40) at error-correction level M.
    case textTooLong
    /// `moduleSize` was less than one pixel.
    case invalidModuleSize
    /// libqrencode failed for another reason (usually `ENOMEM`); the value is the `errno` it left.
    case encodingFailed(errno: Int32)
}
