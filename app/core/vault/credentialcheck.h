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
    // nullopt when the values look right. Surrounding whitespace is allowed (it is trimmed on use).
    static std::optional<CredentialProblem> check(const QString& clientId, const QString& clientSecret);
    static std::optional<CredentialProblem> checkSecret(const QString& clientSecret);
};

} // namespace gk
