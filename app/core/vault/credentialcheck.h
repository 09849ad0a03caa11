// Checks pasted credentials for the mistakes people make when copying them, before anything is stored.
#pragma once

#include <QString>

#include <optional>

namespace gk {

struct CredentialProblem
{
    enum class Field { ClientId, ClientSecret };
    Field field;
    QString message; // a sentence that says what is wrong and what to do
};

class CredentialCheck
{
public:
    // No Client ID or Secret is longer (Workiva's are well under 100): a longer value is the wrong text pasted.
    static constexpr int MaxLength = 1024;

    // nullopt when the values look right. Surrounding whitespace is allowed (it is trimmed on use). Refused: empty
    // values, inner spaces and line breaks, control and invisible formatting characters, text that was not valid
    // UTF-8 (U+FFFD), and values longer than MaxLength; what is stored is always exactly what was meant.
    static std::optional<CredentialProblem> check(const QString& clientId, const QString& clientSecret);
    static std::optional<CredentialProblem> checkSecret(const QString& clientSecret);
};

} // namespace gk
