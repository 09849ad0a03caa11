#include "cli/clioutput.h"

#include "core/text/printabletext.h"

#include <cstdio>
#include <unistd.h>

namespace gk::cli {

namespace {

// Layout (spaces, line breaks) is kept; anything that could drive a terminal is not.
QString safe(const QString& text)
{
    return withoutControlCharacters(text, true);
}

QString safeLine(const QString& text)
{
    return withoutControlCharacters(text, false);
}

} // namespace

CliOutput::CliOutput()
    : m_out(stdout)
    , m_err(stderr)
    , m_stdoutIsTerminal(isatty(STDOUT_FILENO) == 1)
{}

void CliOutput::line(const QString& text)
{
    m_out << safe(text) << '\n';
    m_out.flush();
}

void CliOutput::value(const QString& text)
{
    m_out << text << '\n';
    m_out.flush();
}

void CliOutput::json(const QJsonDocument& document)
{
    // QJsonDocument escapes control characters inside strings, so the output is safe as it is.
    m_out << QString::fromUtf8(document.toJson(QJsonDocument::Indented));
    m_out.flush();
}

void CliOutput::error(const QString& message)
{
    m_err << "grantkeeper: " << safeLine(message) << '\n';
    m_err.flush();
}

void CliOutput::warning(const QString& message)
{
    m_err << "grantkeeper: warning: " << safeLine(message) << '\n';
    m_err.flush();
}

void CliOutput::note(const QString& message)
{
    m_err << safe(message) << '\n';
    m_err.flush();
}

void CliOutput::table(const QStringList& header, const QList<QStringList>& rows)
{
    QList<qsizetype> widths(header.size(), 0);
    const auto measure = [&widths](const QStringList& row) {
        for (qsizetype i = 0; i < row.size() && i < widths.size(); ++i)
            widths[i] = std::max(widths[i], safeLine(row.at(i)).size());
    };
    measure(header);
    for (const QStringList& row : rows)
        measure(row);

    const auto print = [&](const QStringList& row) {
        QString text;
        for (qsizetype i = 0; i < row.size() && i < widths.size(); ++i) {
            const QString cell = safeLine(row.at(i));
            text += (i + 1 < row.size()) ? cell.leftJustified(widths.at(i) + 2) : cell;
        }
        m_out << text.trimmed() << '\n';
    };
    print(header);
    for (const QStringList& row : rows)
        print(row);
    m_out.flush();
}

} // namespace gk::cli
