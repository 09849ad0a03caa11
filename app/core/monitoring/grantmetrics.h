// The grants in the Prometheus text exposition format (0.0.4), for node_exporter's textfile collector: per grant
// (labels name, integration_user, region) its expiry as a Unix time, the days left, the last test's time, verdict
// and round trip; the number of grants; build information. The same grants as `list`; never a secret.
#pragma once

#include "core/grant/grant.h"

#include <QDate>
#include <QDateTime>
#include <QList>
#include <QString>

namespace gk {

class GrantMetrics
{
public:
    static QString exposition(const QList<Grant>& grants, const QDate& today, const QString& version);

    // A label value as the format wants it: backslash, double quote and line feed escaped.
    static QString escapeLabelValue(const QString& value);
    // The Unix time at which a grant stops working: the end of its expiration day, local time.
    static qint64 expiryTimestamp(const QDate& expiresOn);
};

} // namespace gk
