// `grantkeeper calendar [--alarm-days N] [--output FILE]`: the grants' expiration dates as an iCalendar file.
#pragma once

#include "cli/command.h"

namespace gk::cli {

class CalendarCommand : public Command
{
    Q_OBJECT

public:
    using Command::Command;
    QString name() const override { return QStringLiteral("calendar"); }
    QString summary() const override;
    void addOptions(QCommandLineParser& parser) override;
    void run(const QCommandLineParser& parser) override;
};

} // namespace gk::cli
