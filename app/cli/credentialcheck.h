// Checks pasted credentials for the mistakes people make when copying them.
#pragma once

#include <QString>

namespace gk::cli {

class CredentialCheck
{
public:
    // An empty string when the values look right; otherwise what is wrong and what to do.
    static QString problemWith(const QString& clientId, const QString& clientSecret);
    static QString problemWithSecret(const QString& clientSecret);
};

} // namespace gk::cli
