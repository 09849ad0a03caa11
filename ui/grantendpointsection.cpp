#include "ui/grantendpointsection.h"

#include "core/grant/grant.h"
#include "ui/comboboxvalue.h"
#include "ui/fieldmessages.h"

#include <QComboBox>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>

namespace gk {

GrantEndpointSection::GrantEndpointSection(FieldMessages& messages, QWidget* parent)
    : FormSection(tr("2. Token endpoint"),
                  tr("Where the grant lives: your Workiva account's region, or a token URL you were given for a test "
                     "host."),
                  parent)
{
    addRegionRows(messages);
    addVersionRow(messages);
    addAuthMethodRow();

    connect(m_regionCombo, &QComboBox::currentIndexChanged, this, [this] {
        updateRows();
        emit changed();
    });
    connect(m_apiVersionCombo, &QComboBox::currentIndexChanged, this, [this] {
        updateRows();
        emit changed();
    });
    connect(m_customUrlEdit, &QLineEdit::textChanged, this, &GrantEndpointSection::updateRows);
    updateRows();
}

void GrantEndpointSection::addRegionRows(FieldMessages& messages)
{
    m_regionCombo = new QComboBox(body());
    m_regionCombo->setObjectName(QStringLiteral("regionCombo"));
    m_regionCombo->setAccessibleName(tr("Region"));
    for (Region region : {Region::US, Region::EU, Region::APAC}) {
        m_regionCombo->addItem(tr("%1 (%2)").arg(Environment::regionDisplayName(region), Environment::apiHost(region)),
                               static_cast<int>(region));
    }
    m_regionCombo->addItem(tr("Custom token URL"), static_cast<int>(Region::Custom));
    addRow(tr("&Region:"), m_regionCombo, m_regionCombo);

    m_customUrlEdit = new QLineEdit(body());
    m_customUrlEdit->setObjectName(QStringLiteral("customUrlEdit"));
    m_customUrlEdit->setAccessibleName(tr("Custom token URL"));
    m_customUrlEdit->setPlaceholderText(QStringLiteral("https://…/oauth2/token"));
    QLabel* error = messages.addFieldError(m_customUrlEdit, QStringLiteral("customUrlError"), body(),
                                           tr("Only for Custom token URL: https, or http for this computer only."));
    m_tokenUrlWarning = messages.addWarning(QStringLiteral("tokenUrlWarning"), body());
    addRow(tr("Token UR&L:"), m_customUrlEdit, stacked({m_customUrlEdit, error, m_tokenUrlWarning}));

    m_tokenUrlLabel = new QLabel(body());
    m_tokenUrlLabel->setObjectName(QStringLiteral("tokenUrlLabel"));
    m_tokenUrlLabel->setTextFormat(Qt::PlainText);
    m_tokenUrlLabel->setTextInteractionFlags(Qt::TextSelectableByMouse | Qt::TextSelectableByKeyboard);
    m_tokenUrlLabel->setWordWrap(true);
    m_tokenUrlLabel->setAccessibleName(tr("Requests go to"));
    form()->addRow(tr("Requests go to:"), stacked({m_tokenUrlLabel}));
}

void GrantEndpointSection::addVersionRow(FieldMessages& messages)
{
    m_apiVersionCombo = new QComboBox(body());
    m_apiVersionCombo->setObjectName(QStringLiteral("apiVersionCombo"));
    m_apiVersionCombo->setAccessibleName(tr("API version"));
    for (ApiVersion version : {ApiVersion::V2026_01_01, ApiVersion::V2022_01_01}) {
        const QString name = Environment::versionString(version);
        const auto since = Environment::deprecatedSince(version);
        const auto sunset = Environment::sunsetDate(version);
        const QString text = since && sunset
                                 ? tr("%1 — deprecated since %2, sunset %3")
                                       .arg(name, since->toString(Qt::ISODate), sunset->toString(Qt::ISODate))
                                 : tr("%1 (current)").arg(name);
        m_apiVersionCombo->addItem(text, static_cast<int>(version));
    }
    m_deprecatedVersionWarning = messages.addWarning(QStringLiteral("deprecatedVersionWarning"), body());
    addRow(tr("API &version:"), m_apiVersionCombo, stacked({m_apiVersionCombo, m_deprecatedVersionWarning}));
}

void GrantEndpointSection::addAuthMethodRow()
{
    m_authMethodCombo = new QComboBox(body());
    m_authMethodCombo->setObjectName(QStringLiteral("authMethodCombo"));
    m_authMethodCombo->setAccessibleName(tr("Client authentication"));
    m_authMethodCombo->addItem(tr("In the form body"), static_cast<int>(ClientAuthMethod::FormBody));
    m_authMethodCombo->addItem(tr("HTTP Basic header"), static_cast<int>(ClientAuthMethod::HttpBasic));
    const QString authHint = tr("Workiva accepts both; its newer documents prefer the HTTP Basic header.");
    m_authMethodCombo->setAccessibleDescription(authHint);
    addRow(tr("Client au&thentication:"), m_authMethodCombo, stacked({m_authMethodCombo, hint(authHint)}));
}

void GrantEndpointSection::load(const Grant& grant)
{
    selectComboValue(m_regionCombo, grant.region);
    if (grant.region == Region::Custom)
        m_customUrlEdit->setText(grant.customTokenUrl.toString());
    selectComboValue(m_apiVersionCombo, grant.apiVersion);
    selectComboValue(m_authMethodCombo, grant.authMethod);
    updateRows();
}

void GrantEndpointSection::applyTo(Grant& grant) const
{
    grant.region = selectedRegion();
    grant.customTokenUrl =
        grant.region == Region::Custom ? QUrl(m_customUrlEdit->text().trimmed(), QUrl::StrictMode) : QUrl();
    grant.apiVersion = selectedApiVersion();
    grant.authMethod = comboValue<ClientAuthMethod>(m_authMethodCombo);
}

QList<QWidget*> GrantEndpointSection::tabOrder() const
{
    return {m_regionCombo, m_customUrlEdit, m_apiVersionCombo, m_authMethodCombo};
}

void GrantEndpointSection::updateRows()
{
    const bool custom = selectedRegion() == Region::Custom;
    m_customUrlEdit->setEnabled(custom);
    QString target;
    if (custom) {
        const QString typed = m_customUrlEdit->text().trimmed();
        target = typed.isEmpty() ? tr("the token URL above") : typed;
    } else {
        target = Environment::tokenUrl(selectedRegion(), selectedApiVersion()).toString();
    }
    m_tokenUrlLabel->setText(target);
}

Region GrantEndpointSection::selectedRegion() const
{
    return comboValue<Region>(m_regionCombo);
}

ApiVersion GrantEndpointSection::selectedApiVersion() const
{
    return comboValue<ApiVersion>(m_apiVersionCombo);
}

} // namespace gk
