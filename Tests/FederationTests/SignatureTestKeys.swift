/// A throwaway 2048-bit RSA key made with `openssl genrsa 2048`, used only by these tests.
enum SignatureTestKeys {
    static let privatePKCS8 = """
        -----BEGIN PRIVATE KEY-----
        MIIEvAIBADANBgkqhkiG9w0BAQEFAASCBKYwggSiAgEAAoIBAQDEmLjoyXk8MkF2
        cCtpupalYE2FPC/x9OitOAaVVePa1Sd4rW8enQtUG72AdJRSN/GdGL0ncSOUYQJS
        /nukb0di0bQdCpqNcpb4QJ7IwZWXFXfLSbV9ozsueCeqp9C4s4/0QwaAK95EB1X8
        ftPNg1NUTQGCiLciyTvngfFRHVHi29rsWZIuj5h35PoecLEUgJC+Yr0nW8YrIsuZ
        AveVS59Ux4IJ0XncWBdzDfIX51zKU9ZBzbl7+Q9yZq4V7gCkE+pr6eTBLcG/fSDT
        Z1+Tz3Om01EUgzrtGXBAZHln58hA1BDKheZu5zb4FXId1V/Kp3yK8xpbqmy42ETu
        PJ3w8Ky9AgMBAAECggEADF12s92ILIsUpvhjIqFDvF8UQR8J/PPkdpChiV7/l9H0
        S5jM9mX2QnIEN0Id2hX+slzN+N8a18hKNyIecLc3DDYYWANEuUTNzgtycToLyJbn
        E/gs3BwaKtAP3qHzdMqGcVyN2h3oOusjM2BevfxWj2TQhX9H1X5GsEbyAKIRdm01
        RaJnnOsZze5QpTVAxcyfJ8bVHRkvKVQtj7b4/xHJ3zX9x6+l9BiTsWvHh6ZA+E//
        bUCmzidQYscg+VRsgYJ/L6Zyc1fLP5u0DNExJPnJOBzFzShXoIvz0hEMd3Yuai2V
        Ny4cHVd2G+lW1p97yiEcP4pUuhGXHeEk0cA6R7HKWQKBgQDzQrzBIGB/JTUUgD7D
        cO1sICpZCGJm6UWC+TwMwzeQdqg3B1U4XIngwZx0vuuk6k+CrhtopkuFYDz/QxVK
        wmwhnm30bYcs0To0Nxt5NsaSGM1T5Yp/XVfmiaj71lu3cPgbGB59cZ/FSajEnokV
        SUAQUXo++BIF937qi/T1XFg/dwKBgQDO5GJ742kvXlsGULF+pxce4SvKWfTCmDuB
        RXEqyXWBc+4LL1x65p6nWmdelB8UgHAohafg3rzod00ZPpNJUx9bXPikEuva5iDp
        WUTyRv3Qa347K1xNNNv44cehT01YtUcxJZcG5XTwilAvzCo7QGKt5FnpZm63hpSu
        ys0PTuiKawKBgDohb5PDFewsSwPsJZN0r/fPs+70tvcatXa38mamW+fUwxvrT60Z
        SAWCns2zNgKBz6BN1NTsME3eEpV5RWRJE6fxARuQ9OV71inWJWWQ9mDBNofe6XrI
        JpI7wTr1HZO3lkJ7QAYAGgr+MCtUKzP//iQoJEtZ4oy0eQq5iT7840W/AoGAYxDe
        y32v/xuKMHLxGrk9i+67/i+m0Ir+az7qGlfO6UaupDJwcPT+4Rmbx6DbZQC/M9gT
        88wT3qhJhZ39/q1LpX7WHBJnVzC8b5/sMKqnnGXsUr7Heryl2/2YjngfjCt5RGJA
        d+/lV8yS6uAzFJ4W4jcmimke+Mf7Z9r556ucE7MCgYB3eq0nM5mYxPD44qKwCTFU
        ZypUKHEDHHrkSnMeGUGACvvgrIIEz5Sr456+tUbe/MnXjpXKcnxj4zCFEDks3xl6
        8qRqIxFP1JlJ/N3BexhuRo3W4gr4g9+RGucMTj61+j3J7qEvmDmpj2ZkFOzSyz49
        0WKTx3+UppPqwdP8fijkSw==
        -----END PRIVATE KEY-----
        """

    static let privatePKCS1 = """
        -----BEGIN RSA PRIVATE KEY-----
        MIIEogIBAAKCAQEAxJi46Ml5PDJBdnArabqWpWBNhTwv8fTorTgGlVXj2tUneK1v
        Hp0LVBu9gHSUUjfxnRi9J3EjlGECUv57pG9HYtG0HQqajXKW+ECeyMGVlxV3y0m1
        faM7LngnqqfQuLOP9EMGgCveRAdV/H7TzYNTVE0Bgoi3Isk754HxUR1R4tva7FmS
        Lo+Yd+T6HnCxFICQvmK9J1vGKyLLmQL3lUufVMeCCdF53FgXcw3yF+dcylPWQc25
        e/kPcmauFe4ApBPqa+nkwS3Bv30g02dfk89zptNRFIM67RlwQGR5Z+fIQNQQyoXm
        buc2+BVyHdVfyqd8ivMaW6psuNhE7jyd8PCsvQIDAQABAoIBAAxddrPdiCyLFKb4
        YyKhQ7xfFEEfCfzz5HaQoYle/5fR9EuYzPZl9kJyBDdCHdoV/rJczfjfGtfISjci
        HnC3Nww2GFgDRLlEzc4LcnE6C8iW5xP4LNwcGirQD96h83TKhnFcjdod6DrrIzNg
        Xr38Vo9k0IV/R9V+RrBG8gCiEXZtNUWiZ5zrGc3uUKU1QMXMnyfG1R0ZLylULY+2
        +P8Ryd81/cevpfQYk7Frx4emQPhP/21Aps4nUGLHIPlUbIGCfy+mcnNXyz+btAzR
        MST5yTgcxc0oV6CL89IRDHd2LmotlTcuHB1XdhvpVtafe8ohHD+KVLoRlx3hJNHA
        OkexylkCgYEA80K8wSBgfyU1FIA+w3DtbCAqWQhiZulFgvk8DMM3kHaoNwdVOFyJ
        4MGcdL7rpOpPgq4baKZLhWA8/0MVSsJsIZ5t9G2HLNE6NDcbeTbGkhjNU+WKf11X
        5omo+9Zbt3D4GxgefXGfxUmoxJ6JFUlAEFF6PvgSBfd+6ov09VxYP3cCgYEAzuRi
        e+NpL15bBlCxfqcXHuEryln0wpg7gUVxKsl1gXPuCy9ceuaep1pnXpQfFIBwKIWn
        4N686HdNGT6TSVMfW1z4pBLr2uYg6VlE8kb90Gt+OytcTTTb+OHHoU9NWLVHMSWX
        BuV08IpQL8wqO0BireRZ6WZut4aUrsrND07oimsCgYA6IW+TwxXsLEsD7CWTdK/3
        z7Pu9Lb3GrV2t/Jmplvn1MMb60+tGUgFgp7NszYCgc+gTdTU7DBN3hKVeUVkSROn
        8QEbkPTle9Yp1iVlkPZgwTaH3ul6yCaSO8E69R2Tt5ZCe0AGABoK/jArVCsz//4k
        KCRLWeKMtHkKuYk+/ONFvwKBgGMQ3st9r/8bijBy8Rq5PYvuu/4vptCK/ms+6hpX
        zulGrqQycHD0/uEZm8eg22UAvzPYE/PME96oSYWd/f6tS6V+1hwSZ1cwvG+f7DCq
        p5xl7FK+x3q8pdv9mI54H4wreURiQHfv5VfMkurgMxSeFuI3JoppHvjH+2fa+eer
        nBOzAoGAd3qtJzOZmMTw+OKisAkxVGcqVChxAxx65EpzHhlBgAr74KyCBM+Uq+Oe
        vrVG3vzJ146VynJ8Y+MwhRA5LN8ZevKkaiMRT9SZSfzdwXsYbkaN1uIK+IPfkRrn
        DE4+tfo9ye6hL5g5qY9mZBTs0ss+PdFik8d/lKaT6sHT/H4o5Es=
        -----END RSA PRIVATE KEY-----
        """

    static let publicSPKI = """
        -----BEGIN PUBLIC KEY-----
        MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAxJi46Ml5PDJBdnArabqW
        pWBNhTwv8fTorTgGlVXj2tUneK1vHp0LVBu9gHSUUjfxnRi9J3EjlGECUv57pG9H
        YtG0HQqajXKW+ECeyMGVlxV3y0m1faM7LngnqqfQuLOP9EMGgCveRAdV/H7TzYNT
        VE0Bgoi3Isk754HxUR1R4tva7FmSLo+Yd+T6HnCxFICQvmK9J1vGKyLLmQL3lUuf
        VMeCCdF53FgXcw3yF+dcylPWQc25e/kPcmauFe4ApBPqa+nkwS3Bv30g02dfk89z
        ptNRFIM67RlwQGR5Z+fIQNQQyoXmbuc2+BVyHdVfyqd8ivMaW6psuNhE7jyd8PCs
        vQIDAQAB
        -----END PUBLIC KEY-----
        """

    static let publicPKCS1 = """
        -----BEGIN RSA PUBLIC KEY-----
        MIIBCgKCAQEAxJi46Ml5PDJBdnArabqWpWBNhTwv8fTorTgGlVXj2tUneK1vHp0L
        VBu9gHSUUjfxnRi9J3EjlGECUv57pG9HYtG0HQqajXKW+ECeyMGVlxV3y0m1faM7
        LngnqqfQuLOP9EMGgCveRAdV/H7TzYNTVE0Bgoi3Isk754HxUR1R4tva7FmSLo+Y
        d+T6HnCxFICQvmK9J1vGKyLLmQL3lUufVMeCCdF53FgXcw3yF+dcylPWQc25e/kP
        cmauFe4ApBPqa+nkwS3Bv30g02dfk89zptNRFIM67RlwQGR5Z+fIQNQQyoXmbuc2
        +BVyHdVfyqd8ivMaW6psuNhE7jyd8PCsvQIDAQAB
        -----END RSA PUBLIC KEY-----
        """

    /// The body of the request the signature below covers.
    static let body = #"{"type":"Follow"}"#

    /// Its `Digest`, from `openssl dgst -sha256 -binary | base64`.
    static let bodyDigest = "SHA-256=GYwYnH3BiO6aICFt0ThC5bUIJ4byvqdpWtR8m5fNkww="

    /// Its SHA-512 digest, from `openssl dgst -sha512 -binary | base64`.
    static let bodySHA512 =
        "vQGMZNZBOZZ8BVm4X6SU+xRumIYdhE82AoDhrcRsvqb1ZhzSG5pTuNFTwj9G5nxvxgqPsEgmmbi/XTyI9WOhCA=="

    /// The signing string of the request below.
    static let signingString = """
        (request-target): post /users/test/inbox?x=1
        host: remote.example:8443
        date: Sun, 06 Nov 1994 08:49:37 GMT
        digest: SHA-256=GYwYnH3BiO6aICFt0ThC5bUIJ4byvqdpWtR8m5fNkww=
        content-type: application/activity+json
        """

    /// `openssl dgst -sha256 -sign` of `SignatureTestKeys.signingString`, base64.
    static let opensslSignature =
        "tPXVEs6+XASK2kBy4BEjBOG9M7rvamO5gkA1t2KcM4lRSenSeJUGQhiPQluMMO1afUT/6tjOynrKxuyZITyW2vByKO3qxdj1"
        + "xv0PQ+GDkF52I5NjtKnaohl8Ia6xAmQ8JnEXxgHlLXSjUZ6qkcjYkOEmUlcYYfywydDWO25/2HyzOfu/utWfw/AuO6boLWGD"
        + "F+3Qx3lBQ+eJyUfIocZjKFtcZrq6WALBPs5HP/ufNJuJohC3645m7rVe4V1PYZeVk64Ka/yEXiqHpWTm65xAJmSEtBm+eQFG"
        + "RDu8gvtIETYkpuAUmwmcYykwWYhhwPJvJq27w0phJXO22BpLTitz4Q=="
}
