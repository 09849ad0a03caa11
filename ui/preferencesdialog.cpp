#include "ui/preferencesdialog.h"

#include "core/settings/preferences.h"
#include "core/token/environment.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QGroupBox>
#include <QLabel>
#include <QSpinBox>
#include <QVBoxLayout>

#include <algorithm>

namespace gk {

namespace {

// The same bounds Preferences clamps to when it reads the file, so the dialog never offers a value that would
// silently change on the next start.
constexpr int MinClipboardSeconds = 5;
constexpr int MaxClipboardSeconds = 3600;
constexpr int MinWarningDays = 0;
constexpr int MaxWarningDays = 3650;
constexpr int MinTimeoutSeconds = 1;
constexpr int MaxTimeoutSeconds = 600;

} // namespace

PreferencesDialog::PreferencesDialog(Preferences& preferences, QWidget* parent)
    : QDialog(parent)
    , m_preferences(preferences)
{
    setObjectName(QStringLiteral("preferencesDialog"));
    setWindowTitle(tr("Preferences"));
    buildControls();
    load();
}

void PreferencesDialog::accept()
{
    save();
    QDialog::accept();
}

void PreferencesDialog::buildControls()
{
    auto* layout = new QVBoxLayout(this);
    QList<QLabel*> labels;
    layout->addWidget(buildGrantListGroup(labels));
    layout->addWidget(buildDefaultsGroup(labels));
    layout->addWidget(buildTokensGroup(labels));

    // One label column for all groups, so the fields line up down the whole dialog.
    int labelWidth = 0;
    for (const QLabel* label : std::as_const(labels))
        labelWidth = std::max(labelWidth, label->sizeHint().width());
    for (QLabel* label : std::as_const(labels))
        label->setMinimumWidth(labelWidth);

    layout->addStretch();

    m_buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    m_buttons->setObjectName(QStringLiteral("preferencesButtons"));
    connect(m_buttons, &QDialogButtonBox::accepted, this, &PreferencesDialog::accept);
    connect(m_buttons, &QDialogButtonBox::rejected, this, &PreferencesDialog::reject);
    layout->addWidget(m_buttons);

    // Top to bottom, as the fields are laid out, then the buttons.
    setTabOrder(m_warningDaysSpin, m_defaultRegionCombo);
    setTabOrder(m_defaultRegionCombo, m_defaultApiVersionCombo);
    setTabOrder(m_defaultApiVersionCombo, m_timeoutSpin);
    setTabOrder(m_timeoutSpin, m_clipboardDelaySpin);
    setTabOrder(m_clipboardDelaySpin, m_buttons);
    m_warningDaysSpin->setFocus();
}

QGroupBox* PreferencesDialog::buildGrantListGroup(QList<QLabel*>& labels)
{
    auto* group = new QGroupBox(tr("Grant list"), this);
    auto* form = new QFormLayout(group);
    m_warningDaysSpin = new QSpinBox(group);
    m_warningDaysSpin->setObjectName(QStringLiteral("warningDaysSpin"));
    m_warningDaysSpin->setRange(MinWarningDays, MaxWarningDays);
    m_warningDaysSpin->setSuffix(tr(" days"));
    // 0 is not "never": a grant that expires today is still flagged (days left 0 is within a window of 0).
    m_warningDaysSpin->setSpecialValueText(tr("On the expiry day only"));
    labels.append(
        addField(form, tr("&Warn when a grant expires within:"), m_warningDaysSpin, tr("Expiry warning window"),
                 tr("A grant whose expiration date is this many days away or closer is shown as expiring in the list "
                    "and in the start-up warning. The command line uses the same window.")));
    return group;
}

QGroupBox* PreferencesDialog::buildDefaultsGroup(QList<QLabel*>& labels)
{
    auto* group = new QGroupBox(tr("New grants start with"), this);
    auto* form = new QFormLayout(group);
    m_defaultRegionCombo = new QComboBox(group);
    m_defaultRegionCombo->setObjectName(QStringLiteral("defaultRegionCombo"));
    for (Region region : {Region::US, Region::EU, Region::APAC}) {
        m_defaultRegionCombo->addItem(
            tr("%1 (%2)").arg(Environment::regionDisplayName(region), Environment::apiHost(region)),
            Environment::regionKey(region));
    }
    labels.append(
        addField(form, tr("&Region:"), m_defaultRegionCombo, tr("Default region"),
                 tr("The Workiva region a new grant is created for. Each grant can still choose its own region or a "
                    "custom token URL.")));

    m_defaultApiVersionCombo = new QComboBox(group);
    m_defaultApiVersionCombo->setObjectName(QStringLiteral("defaultApiVersionCombo"));
    for (ApiVersion version : {ApiVersion::V2026_01_01, ApiVersion::V2022_01_01}) {
        const QString versionText = Environment::versionString(version);
        m_defaultApiVersionCombo->addItem(Environment::versionLabel(version), versionText);
        m_defaultApiVersionCombo->setItemData(m_defaultApiVersionCombo->count() - 1,
                                              tr("Token endpoint %1").arg(Environment::tokenPath(version)),
                                              Qt::ToolTipRole);
    }
    const std::optional<QDate> oldSunset = Environment::sunsetDate(ApiVersion::V2022_01_01);
    labels.append(addField(
        form, tr("&API version:"), m_defaultApiVersionCombo, tr("Default API version"),
        tr("The token API version a new grant uses. %1 (%2) is current; %3 (%4) is deprecated and stops "
           "working after %5.")
            .arg(Environment::versionString(ApiVersion::V2026_01_01), Environment::tokenPath(ApiVersion::V2026_01_01),
                 Environment::versionString(ApiVersion::V2022_01_01), Environment::tokenPath(ApiVersion::V2022_01_01),
                 oldSunset ? oldSunset->toString(Qt::ISODate) : QString())));
    return group;
}

QGroupBox* PreferencesDialog::buildTokensGroup(QList<QLabel*>& labels)
{
    auto* group = new QGroupBox(tr("Token tests"), this);
    auto* form = new QFormLayout(group);
    m_timeoutSpin = new QSpinBox(group);
    m_timeoutSpin->setObjectName(QStringLiteral("timeoutSpin"));
    m_timeoutSpin->setRange(MinTimeoutSeconds, MaxTimeoutSeconds);
    m_timeoutSpin->setSuffix(tr(" s"));
    labels.append(
        addField(form, tr("Request &timeout:"), m_timeoutSpin, tr("Request timeout"),
                 tr("How long a token test may take in all before it is given up as timed out. The command line uses "
                    "it too, unless --timeout is given.")));

    m_clipboardDelaySpin = new QSpinBox(group);
    m_clipboardDelaySpin->setObjectName(QStringLiteral("clipboardDelaySpin"));
    m_clipboardDelaySpin->setRange(MinClipboardSeconds, MaxClipboardSeconds);
    m_clipboardDelaySpin->setSuffix(tr(" s"));
    labels.append(
        addField(form, tr("C&lear a copied token after:"), m_clipboardDelaySpin, tr("Clipboard clear delay"),
                 tr("A copied token is removed from the clipboard after this time, and when Grant Keeper quits, "
                    "unless something else has been copied since.")));
    return group;
}

QLabel* PreferencesDialog::addField(QFormLayout* form, const QString& labelText, QWidget* field,
                                    const QString& accessibleName, const QString& toolTip)
{
    // Numbers and short lists read better at their natural width than stretched across the dialog.
    form->setFieldGrowthPolicy(QFormLayout::FieldsStayAtSizeHint);
    auto* label = new QLabel(labelText, field->parentWidget());
    label->setBuddy(field);
    label->setToolTip(toolTip);
    field->setAccessibleName(accessibleName);
    field->setAccessibleDescription(toolTip);
    field->setToolTip(toolTip);
    form->addRow(label, field);
    return label;
}

void PreferencesDialog::load()
{
    m_warningDaysSpin->setValue(m_preferences.expiryWarningDays());
    m_clipboardDelaySpin->setValue(m_preferences.clipboardClearSeconds());
    m_timeoutSpin->setValue(int(m_preferences.requestTimeout().count()));

    // A stored "custom" region is no default for a new grant: show the first preset instead.
    const int regionIndex = m_defaultRegionCombo->findData(Environment::regionKey(m_preferences.defaultRegion()));
    m_defaultRegionCombo->setCurrentIndex(std::max(regionIndex, 0));
    const int versionIndex =
        m_defaultApiVersionCombo->findData(Environment::versionString(m_preferences.defaultApiVersion()));
    m_defaultApiVersionCombo->setCurrentIndex(std::max(versionIndex, 0));
}

void PreferencesDialog::save()
{
    m_preferences.setExpiryWarningDays(m_warningDaysSpin->value());
    m_preferences.setClipboardClearSeconds(m_clipboardDelaySpin->value());
    m_preferences.setRequestTimeout(std::chrono::seconds(m_timeoutSpin->value()));
    if (const auto region = Environment::regionFromKey(m_defaultRegionCombo->currentData().toString()))
        m_preferences.setDefaultRegion(*region);
    if (const auto version = Environment::versionFromString(m_defaultApiVersionCombo->currentData().toString()))
        m_preferences.setDefaultApiVersion(*version);
}

} // namespace gk
