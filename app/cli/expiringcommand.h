// `grantkeeper expiring [--within DAYS] [--json]`: exit 1 when a grant has expired or expires within DAYS.
#pragma once

#include "cli/command.h"

namespace gk::cli {

class ExpiringCommand : public Command
{
    Q_OBJECT

public:
    using Command::Command;
    QString name() const override { return QStringLiteral("expiring"); }
    QString summary() const override;
    void addOptions(QCommandLineParser& parser) override;
    void run(const QCommandLineParser& parser) override;
};

} // namespace gk::cli
