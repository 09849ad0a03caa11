// Where the command line writes: results to stdout, one-line errors to stderr, never raw control characters.
#pragma once

#include <QJsonDocument>
#include <QString>
#include <QStringList>
#include <QTextStream>

namespace gk::cli {

class CliOutput
{
public:
    CliOutput();

    // A line for people, on stdout. The text is made printable first.
    void line(const QString& text = {});
    // Raw bytes on stdout with a newline, for values that are already checked (the access token).
    void value(const QString& text);
    // A JSON document on stdout.
    void json(const QJsonDocument& document);
    // "grantkeeper: <message>" on stderr, one line, printable.
    void error(const QString& message);
    // "grantkeeper: warning: <message>" on stderr, one line, printable: something to know that did not stop the
    // command.
    void warning(const QString& message);
    // A note for people on stderr (prompts, hints); nothing a script should parse.
    void note(const QString& message);

    // Columns padded to the widest cell; the last column is not padded.
    void table(const QStringList& header, const QList<QStringList>& rows);

    bool stdoutIsTerminal() const { return m_stdoutIsTerminal; }

private:
    QTextStream m_out;
    QTextStream m_err;
    bool m_stdoutIsTerminal = false;
};

} // namespace gk::cli
