// Every rule a grant's fields must meet, in one place: the dialog, `grantkeeper add` and the loader all ask it, and
// each shows the answer next to its own input (a widget, an option, a file).
#pragma once

#include "core/grant/grant.h"

#include <QCoreApplication>
#include <QDate>
#include <QList>
#include <QString>
#include <QUrl>

#include <optional>

namespace gk {

// The part of a grant a problem belongs to, so that a front end can show it next to the right input.
enum class GrantField {
    Name,
    IntegrationUser,
    TokenUrl,
    ApiVersion,
    Scopes,
    ExpiresOn,
    CaFile,
    PinnedFingerprint,
    Notes,
    IpAllowlistNote,
};

struct GrantProblem
{
    enum class Severity {
        Error,   // the grant cannot be saved like this
        Warning, // it can, but the administrator should know
    };

    GrantField field;
    Severity severity;
    QString message; // a sentence that says what is wrong and what to do

    bool isError() const { return severity == Severity::Error; }
    friend bool operator==(const GrantProblem&, const GrantProblem&) = default;
};

class GrantValidator
{
    Q_DECLARE_TR_FUNCTIONS(GrantValidator)

public:
    static constexpr int MaxNameLength = 200;   // names, integration users and each scope
    static constexpr int MaxNotesLength = 4000; // notes and the IP allowlist note

    // Every problem of the grant, errors and warnings, in the order the fields are entered. existing: every stored
    // grant, for the unique-name rule and the shared-integration-user warning; the grant itself may be among them
    // (it is recognised by its id). today: the local date the expiration date is compared with.
    static QList<GrantProblem> check(const Grant& grant, const QList<Grant>& existing, const QDate& today);

    // The name rule alone (given, at most MaxNameLength characters, no control characters).
    static std::optional<GrantProblem> nameProblem(const QString& name);
    // The rules of the text a grant holds (name, user, scopes, notes: printable, bounded): what a stored grant must
    // meet to be loaded at all, so that nothing read from a file can drive a terminal or forge a line of output.
    static QList<GrantProblem> textProblems(const Grant& grant);

    static bool hasErrors(const QList<GrantProblem>& problems);
    // The messages of the problems of one severity, in order.
    static QStringList messages(const QList<GrantProblem>& problems, GrantProblem::Severity severity);

private:
    static std::optional<GrantProblem> uniqueNameProblem(const Grant& grant, const QList<Grant>& existing);
    static std::optional<GrantProblem> sharedUserWarning(const Grant& grant, const QList<Grant>& existing);
    static std::optional<GrantProblem> tokenUrlProblem(const Grant& grant);
    static std::optional<GrantProblem> internationalHostWarning(const QUrl& url);
    static QString scriptName(int script); // a QChar::Script; empty for the ones every script shares
    static std::optional<GrantProblem> expiryWarning(const Grant& grant, const QDate& today);
    static std::optional<GrantProblem> caFileProblem(const QString& path);
    static std::optional<GrantProblem> pinnedFingerprintProblem(const QString& fingerprint);
};

} // namespace gk
