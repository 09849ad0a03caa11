// `grantkeeper metrics [--output FILE]`: the grants in the Prometheus text format, for node_exporter's textfile
// collector. --output writes the file atomically (a temporary file renamed), as the collector requires.
#pragma once

#include "cli/command.h"

namespace gk::cli {

class MetricsCommand : public Command
{
    Q_OBJECT

public:
    using Command::Command;
    QString name() const override { return QStringLiteral("metrics"); }
    QString summary() const override;
    void addOptions(QCommandLineParser& parser) override;
    void run(const QCommandLineParser& parser) override;
};

} // namespace gk::cli
