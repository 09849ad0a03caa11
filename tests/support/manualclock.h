// A clock that only moves when told to: tests of expiry, countdowns and ages run without waiting.
#pragma once

#include "core/expiry/clock.h"

namespace gk::test {

class ManualClock final : public Clock
{
public:
    explicit ManualClock(QDateTime start)
        : m_now(std::move(start))
    {}
    QDateTime now() const override { return m_now; }
    void set(const QDateTime& now) { m_now = now; }
    void advanceSeconds(qint64 seconds) { m_now = m_now.addSecs(seconds); }

private:
    QDateTime m_now;
};

} // namespace gk::test
