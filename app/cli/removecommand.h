// `grantkeeper remove NAME`: deletes the metadata, then the keychain entry.
#pragma once

#include "cli/command.h"

namespace gk::cli {

class RemoveCommand : public Command
{
    Q_OBJECT

public:
    using Command::Command;
    QString name() const override { return QStringLiteral("remove"); }
    QString summary() const override;
    void addOptions(QCommandLineParser& parser) override;
    void run(const QCommandLineParser& parser) override;
};

} // namespace gk::cli
