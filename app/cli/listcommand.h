// `grantkeeper list [--json]`: every grant with its expiry and last test, without touching the keychain.
#pragma once

#include "cli/command.h"

namespace gk::cli {

class ListCommand : public Command
{
    Q_OBJECT

public:
    using Command::Command;
    QString name() const override { return QStringLiteral("list"); }
    QString summary() const override;
    void addOptions(QCommandLineParser& parser) override;
    void run(const QCommandLineParser& parser) override;
};

} // namespace gk::cli
