// The source of "now" for everything that depends on time, replaceable in tests.
#pragma once

#include <QDate>
#include <QDateTime>

namespace gk {

class Clock
{
public:
    virtual ~Clock() = default;
    virtual QDateTime now() const = 0;
    QDate today() const { return now().toLocalTime().date(); }
};

class SystemClock final : public Clock
{
public:
    QDateTime now() const override { return QDateTime::currentDateTime(); }
};

} // namespace gk
