// How a grant decides to trust its token server's certificate. Verification is never switched off.
#pragma once

#include <QString>

#include <optional>

namespace gk {

enum class TrustMode {
    System,           // the operating system's CAs
    SystemPlusCaFile, // the system CAs and the CAs of one PEM file
    Pinned,           // only a leaf certificate with exactly this SHA-256 fingerprint
};

struct TrustSettings
{
    TrustMode mode = TrustMode::System;
    QString caFilePath;           // SystemPlusCaFile: a PEM file of one or more CA certificates
    QString pinnedSha256;         // Pinned: lower-case hex of the leaf certificate's SHA-256 digest
    QString pinnedCertificatePem; // Pinned, optional: the certificate itself, to warn before it expires

    static QString modeKey(TrustMode mode); // "system", "ca-file", "pinned"
    static std::optional<TrustMode> modeFromKey(const QString& key);

    // Two settings with the same key trust exactly the same certificates: they may share connections, and no
    // others may (the fingerprint is normalised, so "AB:CD…" and "abcd…" are one pin).
    QString poolKey() const;

    friend bool operator==(const TrustSettings&, const TrustSettings&) = default;
};

} // namespace gk
