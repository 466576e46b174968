<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="de_DE">
<context>
    <name>AdjustDialog</name>
    <message>
        <source>Adjust stock</source>
        <translation>Bestand korrigieren</translation>
    </message>
    <message>
        <source>&lt;b&gt;{0}&lt;/b&gt; — {1} in stock</source>
        <translation>&lt;b&gt;{0}&lt;/b&gt; — {1} auf Lager</translation>
    </message>
    <message>
        <source>Negative removes units, positive adds them</source>
        <translation>Negativ bucht Stück ab, positiv bucht sie zu</translation>
    </message>
    <message>
        <source>kg, e.g. -0.250 or 455 g</source>
        <translation>kg, z. B. -0,250 oder 455 g</translation>
    </message>
    <message>
        <source>Why? e.g. counted 3 fewer, broken in delivery</source>
        <translation>Warum? z. B. 3 weniger gezählt, bei Lieferung beschädigt</translation>
    </message>
    <message>
        <source>Product</source>
        <translation>Produkt</translation>
    </message>
    <message>
        <source>&amp;Change (kg)</source>
        <translation>Ä&amp;nderung (kg)</translation>
    </message>
    <message>
        <source>&amp;Change</source>
        <translation>&amp;Änderung</translation>
    </message>
    <message>
        <source>&amp;Reason</source>
        <translation>&amp;Grund</translation>
    </message>
</context>
<context>
    <name>AnalyticsScreen</name>
    <message>
        <source>Only owners can see analytics.</source>
        <translation>Nur Inhaber sehen die Auswertungen.</translation>
    </message>
    <message>
        <source>Last 30 days</source>
        <translation>Letzte 30 Tage</translation>
    </message>
    <message>
        <source>This month</source>
        <translation>Dieser Monat</translation>
    </message>
    <message>
        <source>This year</source>
        <translation>Dieses Jahr</translation>
    </message>
    <message>
        <source>Last 12 months</source>
        <translation>Letzte 12 Monate</translation>
    </message>
    <message>
        <source>Export chart…</source>
        <translation>Diagramm exportieren …</translation>
    </message>
    <message>
        <source>Export CSV…</source>
        <translation>CSV exportieren …</translation>
    </message>
    <message>
        <source>From</source>
        <translation>Von</translation>
    </message>
    <message>
        <source>to</source>
        <translation>bis</translation>
    </message>
    <message>
        <source>Per</source>
        <translation>Je</translation>
    </message>
    <message>
        <source>Periods</source>
        <translation>Zeiträume</translation>
    </message>
    <message>
        <source>By category</source>
        <translation>Nach Kategorie</translation>
    </message>
    <message>
        <source>By product</source>
        <translation>Nach Produkt</translation>
    </message>
    <message>
        <source>No sales in this range.</source>
        <translation>Keine Verkäufe in diesem Zeitraum.</translation>
    </message>
    <message>
        <source>Revenue &lt;b&gt;{0}&lt;/b&gt; · Sales &lt;b&gt;{1}&lt;/b&gt; · Units &lt;b&gt;{2}&lt;/b&gt; · Average sale &lt;b&gt;{3}&lt;/b&gt; · {4}{5}</source>
        <translation>Umsatz &lt;b&gt;{0}&lt;/b&gt; · Verkäufe &lt;b&gt;{1}&lt;/b&gt; · Stück &lt;b&gt;{2}&lt;/b&gt; · Durchschnittsverkauf &lt;b&gt;{3}&lt;/b&gt; · {4}{5}</translation>
    </message>
    <message>
        <source>Could not write {0}: {1}.</source>
        <translation>{0} ließ sich nicht schreiben: {1}.</translation>
    </message>
    <message>
        <source>Saved {0}.</source>
        <translation>{0} gespeichert.</translation>
    </message>
</context>
<context>
    <name>ApprovalDialog</name>
    <message>
        <source>Manager approval</source>
        <translation>Freigabe durch Filialleitung</translation>
    </message>
    <message>
        <source>Manager approval needed</source>
        <translation>Freigabe durch Filialleitung nötig</translation>
    </message>
    <message>
        <source>manager@shop.example</source>
        <translation>leitung@laden.example</translation>
    </message>
    <message>
        <source>Approve  Enter</source>
        <translation>Freigeben  Eingabe</translation>
    </message>
    <message>
        <source>Back  Esc</source>
        <translation>Zurück  Esc</translation>
    </message>
    <message>
        <source>E-mail</source>
        <translation>E-Mail</translation>
    </message>
    <message>
        <source>Password</source>
        <translation>Passwort</translation>
    </message>
    <message>
        <source>Enter the manager&apos;s e-mail and password.</source>
        <translation>Geben Sie E-Mail und Passwort der Filialleitung ein.</translation>
    </message>
    <message>
        <source>Checking…</source>
        <translation>Wird geprüft …</translation>
    </message>
</context>
<context>
    <name>AuditAction</name>
    <message>
        <source>Logged in</source>
        <translation>Angemeldet</translation>
    </message>
    <message>
        <source>Failed log-in</source>
        <translation>Fehlgeschlagene Anmeldung</translation>
    </message>
    <message>
        <source>Line voided</source>
        <translation>Position storniert</translation>
    </message>
    <message>
        <source>Cart voided</source>
        <translation>Warenkorb storniert</translation>
    </message>
    <message>
        <source>Price changed</source>
        <translation>Preis geändert</translation>
    </message>
    <message>
        <source>Refund</source>
        <translation>Erstattung</translation>
    </message>
    <message>
        <source>Shift opened</source>
        <translation>Schicht geöffnet</translation>
    </message>
    <message>
        <source>Shift closed</source>
        <translation>Schicht geschlossen</translation>
    </message>
    <message>
        <source>User created</source>
        <translation>Konto angelegt</translation>
    </message>
    <message>
        <source>Role changed</source>
        <translation>Rolle geändert</translation>
    </message>
    <message>
        <source>User (de)activated</source>
        <translation>Konto (de)aktiviert</translation>
    </message>
    <message>
        <source>Password reset</source>
        <translation>Passwort zurückgesetzt</translation>
    </message>
    <message>
        <source>Tax rate changed</source>
        <translation>Steuersatz geändert</translation>
    </message>
    <message>
        <source>Stock counted at the till</source>
        <translation>Bestand an der Kasse gezählt</translation>
    </message>
    <message>
        <source>Stock changed</source>
        <translation>Bestand geändert</translation>
    </message>
    <message>
        <source>Category created</source>
        <translation>Kategorie angelegt</translation>
    </message>
    <message>
        <source>Category changed</source>
        <translation>Kategorie geändert</translation>
    </message>
    <message>
        <source>Product created</source>
        <translation>Produkt angelegt</translation>
    </message>
    <message>
        <source>Product changed</source>
        <translation>Produkt geändert</translation>
    </message>
    <message>
        <source>Products imported (CSV)</source>
        <translation>Produkte importiert (CSV)</translation>
    </message>
    <message>
        <source>Logged out</source>
        <translation>Abgemeldet</translation>
    </message>
    <message>
        <source>Manager approval</source>
        <translation>Freigabe durch Filialleitung</translation>
    </message>
    <message>
        <source>Drawer opened</source>
        <translation>Lade geöffnet</translation>
    </message>
    <message>
        <source>No sale</source>
        <translation>Ohne Verkauf</translation>
    </message>
    <message>
        <source>Discount given</source>
        <translation>Rabatt gewährt</translation>
    </message>
    <message>
        <source>Promotion created</source>
        <translation>Aktion angelegt</translation>
    </message>
    <message>
        <source>Promotion changed</source>
        <translation>Aktion geändert</translation>
    </message>
    <message>
        <source>Promotion ended</source>
        <translation>Aktion beendet</translation>
    </message>
</context>
<context>
    <name>AuditDetail</name>
    <message>
        <source>When</source>
        <translation>Wann</translation>
    </message>
    <message>
        <source>Who</source>
        <translation>Wer</translation>
    </message>
    <message>
        <source>Till</source>
        <translation>Kasse</translation>
    </message>
    <message>
        <source>Action</source>
        <translation>Aktion</translation>
    </message>
    <message>
        <source>Subject</source>
        <translation>Gegenstand</translation>
    </message>
</context>
<context>
    <name>AuditScreen</name>
    <message>
        <source>Choose an entry to see everything about it.</source>
        <translation>Wählen Sie einen Eintrag, um alles dazu zu sehen.</translation>
    </message>
    <message>
        <source>All actions</source>
        <translation>Alle Aktionen</translation>
    </message>
    <message>
        <source>All users</source>
        <translation>Alle Konten</translation>
    </message>
    <message>
        <source>Clear filters</source>
        <translation>Filter löschen</translation>
    </message>
    <message>
        <source>Refresh  F5</source>
        <translation>Aktualisieren  F5</translation>
    </message>
    <message>
        <source>Action</source>
        <translation>Aktion</translation>
    </message>
    <message>
        <source>User</source>
        <translation>Konto</translation>
    </message>
    <message>
        <source>From</source>
        <translation>Von</translation>
    </message>
    <message>
        <source>To</source>
        <translation>Bis</translation>
    </message>
    <message>
        <source>Any</source>
        <translation>Alle</translation>
    </message>
    <message>
        <source>{0} entries, {1} loaded — scroll for more.</source>
        <translation>{0} Einträge, {1} geladen — für mehr scrollen.</translation>
    </message>
    <message>
        <source>1 entry.</source>
        <translation>1 Eintrag.</translation>
    </message>
    <message>
        <source>{0} entries.</source>
        <translation>{0} Einträge.</translation>
    </message>
</context>
<context>
    <name>BarChart</name>
    <message>
        <source>Nothing loaded yet.</source>
        <translation>Noch nichts geladen.</translation>
    </message>
</context>
<context>
    <name>Bucket</name>
    <message>
        <source>per day</source>
        <translation>je Tag</translation>
    </message>
    <message>
        <source>per week</source>
        <translation>je Woche</translation>
    </message>
    <message>
        <source>per month</source>
        <translation>je Monat</translation>
    </message>
    <message>
        <source>per year</source>
        <translation>je Jahr</translation>
    </message>
    <message>
        <source>whole range</source>
        <translation>ganzer Zeitraum</translation>
    </message>
    <message>
        <source>Daily</source>
        <translation>Täglich</translation>
    </message>
    <message>
        <source>Weekly</source>
        <translation>Wöchentlich</translation>
    </message>
    <message>
        <source>Monthly</source>
        <translation>Monatlich</translation>
    </message>
    <message>
        <source>Yearly</source>
        <translation>Jährlich</translation>
    </message>
    <message>
        <source>Whole range</source>
        <translation>Ganzer Zeitraum</translation>
    </message>
</context>
<context>
    <name>CartColumn</name>
    <message>
        <source>Product</source>
        <translation>Produkt</translation>
    </message>
    <message>
        <source>SKU</source>
        <translation>Artikelnr.</translation>
    </message>
    <message>
        <source>Qty</source>
        <translation>Menge</translation>
    </message>
    <message>
        <source>Unit price</source>
        <translation>Stückpreis</translation>
    </message>
    <message>
        <source>Discount</source>
        <translation>Rabatt</translation>
    </message>
    <message>
        <source>Line total</source>
        <translation>Summe</translation>
    </message>
    <message>
        <source>Stock</source>
        <translation>Bestand</translation>
    </message>
</context>
<context>
    <name>CartKeeper</name>
    <message numerus="yes">
        <source>The cart has %Ln line(s), {0}. What happens to it before you {1}?</source>
        <translation>
            <numerusform>Der Warenkorb hat %Ln Position, {0}. Was geschieht damit, bevor Sie {1}?</numerusform>
            <numerusform>Der Warenkorb hat %Ln Positionen, {0}. Was geschieht damit, bevor Sie {1}?</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>The till stopped during a sale: %Ln line(s), {0}, rung up by {1} at {2}. Put it back in the cart?</source>
        <translation>
            <numerusform>Die Kasse wurde während eines Verkaufs beendet: %Ln Position, {0}, gebucht von {1} um {2}. Zurück in den Warenkorb?</numerusform>
            <numerusform>Die Kasse wurde während eines Verkaufs beendet: %Ln Positionen, {0}, gebucht von {1} um {2}. Zurück in den Warenkorb?</numerusform>
        </translation>
    </message>
    <message>
        <source>The cart could not be saved on this computer; finish the sale before closing the till.</source>
        <translation>Der Warenkorb ließ sich auf diesem Rechner nicht sichern; schließen Sie den Verkauf ab, bevor Sie die Kasse schließen.</translation>
    </message>
    <message numerus="yes">
        <source>The unfinished sale is back in the cart (%Ln line(s)); check it with the customer and take payment.</source>
        <translation>
            <numerusform>Der unterbrochene Verkauf ist wieder im Warenkorb (%Ln Position); prüfen Sie ihn mit der Kundschaft und kassieren Sie.</numerusform>
            <numerusform>Der unterbrochene Verkauf ist wieder im Warenkorb (%Ln Positionen); prüfen Sie ihn mit der Kundschaft und kassieren Sie.</numerusform>
        </translation>
    </message>
    <message>
        <source>The cart was not {0}: {1} It is still here.</source>
        <translation>Der Warenkorb wurde nicht {0}: {1} Er ist noch da.</translation>
    </message>
    <message>
        <source>Its approval has run out: a manager or the owner approves the changed prices and discounts again at Pay.</source>
        <translation>Seine Freigabe ist abgelaufen: Eine Filialleitung oder die Inhaberin gibt die geänderten Preise und Rabatte beim Bezahlen erneut frei.</translation>
    </message>
</context>
<context>
    <name>CartLine</name>
    <message>
        <source>Out of stock</source>
        <translation>Nicht auf Lager</translation>
    </message>
    <message>
        <source>Only {0} in stock</source>
        <translation>Nur {0} auf Lager</translation>
    </message>
</context>
<context>
    <name>CatalogCsv</name>
    <message>
        <source>Import products…</source>
        <translation>Produkte importieren …</translation>
    </message>
    <message>
        <source>Import a CSV file ({0})</source>
        <translation>Eine CSV-Datei importieren ({0})</translation>
    </message>
    <message>
        <source>Export products…</source>
        <translation>Produkte exportieren …</translation>
    </message>
    <message>
        <source>Save every product as CSV ({0})</source>
        <translation>Alle Produkte als CSV speichern ({0})</translation>
    </message>
    <message>
        <source>Exporting the products to {0}…</source>
        <translation>Die Produkte werden nach {0} exportiert…</translation>
    </message>
    <message>
        <source>Exported 1 product to {1}.</source>
        <translation>1 Produkt nach {1} exportiert.</translation>
    </message>
    <message>
        <source>Exported {0} products to {1}.</source>
        <translation>{0} Produkte nach {1} exportiert.</translation>
    </message>
    <message>
        <source>Importing {0}…</source>
        <translation>{0} wird importiert …</translation>
    </message>
    <message>
        <source>Nothing was imported: the file has problems.</source>
        <translation>Nichts wurde importiert: die Datei hat Fehler.</translation>
    </message>
</context>
<context>
    <name>CatalogScreen</name>
    <message>
        <source>Deactivate</source>
        <translation>Deaktivieren</translation>
    </message>
    <message>
        <source>Select the products to label first.</source>
        <translation>Wählen Sie zuerst die Produkte für Etiketten.</translation>
    </message>
    <message>
        <source>Reactivate</source>
        <translation>Reaktivieren</translation>
    </message>
    <message>
        <source>Saved product “{0}”.</source>
        <translation>Produkt „{0}“ gespeichert.</translation>
    </message>
    <message>
        <source>Saved category “{0}”.</source>
        <translation>Kategorie „{0}“ gespeichert.</translation>
    </message>
    <message>
        <source>“{0}” is active again.</source>
        <translation>„{0}“ ist wieder aktiv.</translation>
    </message>
    <message>
        <source>“{0}” is deactivated.</source>
        <translation>„{0}“ ist deaktiviert.</translation>
    </message>
    <message>
        <source>Category “{0}” is active again.</source>
        <translation>Kategorie „{0}“ ist wieder aktiv.</translation>
    </message>
    <message>
        <source>Category “{0}” is deactivated.</source>
        <translation>Kategorie „{0}“ ist deaktiviert.</translation>
    </message>
</context>
<context>
    <name>CategoryDialog</name>
    <message>
        <source>Edit category</source>
        <translation>Kategorie bearbeiten</translation>
    </message>
    <message>
        <source>New category</source>
        <translation>Neue Kategorie</translation>
    </message>
    <message>
        <source>made from the name when empty</source>
        <translation>wird aus dem Namen gebildet, wenn leer</translation>
    </message>
    <message>
        <source>e.g. 19 or 7.5</source>
        <translation>z. B. 19 oder 7,5</translation>
    </message>
    <message>
        <source>The tax rate of this category&apos;s products, in per cent. A change applies to sales from then on; sales already made keep their rate.</source>
        <translation>Der Steuersatz der Produkte dieser Kategorie in Prozent. Eine Änderung gilt für Verkäufe ab dann; frühere Verkäufe behalten ihren Satz.</translation>
    </message>
    <message>
        <source>&amp;Name</source>
        <translation>&amp;Name</translation>
    </message>
    <message>
        <source>S&amp;lug</source>
        <translation>K&amp;ürzel</translation>
    </message>
    <message>
        <source>&amp;Tax rate (%)</source>
        <translation>&amp;Steuersatz (%)</translation>
    </message>
    <message>
        <source>&amp;Description</source>
        <translation>&amp;Beschreibung</translation>
    </message>
</context>
<context>
    <name>CategoryPane</name>
    <message>
        <source>Categories</source>
        <translation>Kategorien</translation>
    </message>
    <message>
        <source>New…</source>
        <translation>Neu …</translation>
    </message>
    <message>
        <source>New category</source>
        <translation>Neue Kategorie</translation>
    </message>
    <message>
        <source>Edit…</source>
        <translation>Bearbeiten …</translation>
    </message>
    <message>
        <source>Edit category</source>
        <translation>Kategorie bearbeiten</translation>
    </message>
    <message>
        <source>Deactivate</source>
        <translation>Deaktivieren</translation>
    </message>
</context>
<context>
    <name>CheckoutScreen</name>
    <message>
        <source>Scan a barcode, type a SKU or part of a name…</source>
        <translation>Barcode scannen, Artikelnummer oder Teil eines Namens eingeben …</translation>
    </message>
    <message>
        <source>Nothing was added. {0}</source>
        <translation>Nichts wurde hinzugefügt. {0}</translation>
    </message>
    <message>
        <source>{0} is no longer sold.</source>
        <translation>{0} wird nicht mehr verkauft.</translation>
    </message>
    <message>
        <source>Added {0} ({1}).</source>
        <translation>{0} hinzugefügt ({1}).</translation>
    </message>
    <message>
        <source>Added {0} (quantity {1}).</source>
        <translation>{0} hinzugefügt (Menge {1}).</translation>
    </message>
    <message>
        <source>The cart is empty.</source>
        <translation>Der Warenkorb ist leer.</translation>
    </message>
    <message>
        <source>{0}: {1} wanted but only {2} in stock. Change the quantity, or count the stock (F6).</source>
        <translation>{0}: {1} gewünscht, aber nur {2} auf Lager. Ändern Sie die Menge oder zählen Sie den Bestand (F6).</translation>
    </message>
</context>
<context>
    <name>CloseShiftDialog</name>
    <message>
        <source>Close shift {0}</source>
        <translation>Schicht {0} schließen</translation>
    </message>
    <message>
        <source>Count every note and coin in the drawer, the float included, and enter the total.</source>
        <translation>Zählen Sie jeden Schein und jede Münze in der Lade, das Wechselgeld eingeschlossen, und geben Sie die Summe ein.</translation>
    </message>
    <message>
        <source>Counted cash</source>
        <translation>Gezähltes Bargeld</translation>
    </message>
    <message>
        <source>Close shift  Enter</source>
        <translation>Schicht schließen  Eingabe</translation>
    </message>
</context>
<context>
    <name>CountStockDialog</name>
    <message>
        <source>Count the stock of {0}</source>
        <translation>Bestand von {0} zählen</translation>
    </message>
    <message>
        <source>The till believes {0} are in stock; {1} are in the cart. Count the shelf and the store room and enter what is there in grams.{2}</source>
        <translation>Laut Kasse sind {0} auf Lager; {1} liegen im Warenkorb. Zählen Sie Regal und Lager und geben Sie den Bestand in Gramm ein.{2}</translation>
    </message>
    <message>
        <source>The till believes {0} are in stock; {1} are in the cart. Count the shelf and the store room and enter what is there.{2}</source>
        <translation>Laut Kasse sind {0} auf Lager; {1} liegen im Warenkorb. Zählen Sie Regal und Lager und geben Sie ein, was da ist.{2}</translation>
    </message>
    <message>
        <source>e.g. delivery not booked in</source>
        <translation>z. B. Lieferung nicht eingebucht</translation>
    </message>
    <message>
        <source>Counted</source>
        <translation>Gezählt</translation>
    </message>
    <message>
        <source>Reason</source>
        <translation>Grund</translation>
    </message>
    <message>
        <source>Save the count  Enter</source>
        <translation>Zählung speichern  Eingabe</translation>
    </message>
</context>
<context>
    <name>CsvImport</name>
    <message>
        <source>Imported: {0} new, {1} updated, {2} new categories.</source>
        <translation>Importiert: {0} neu, {1} aktualisiert, {2} neue Kategorien.</translation>
    </message>
</context>
<context>
    <name>CustomerDisplay</name>
    <message>
        <source>{0} — customer display</source>
        <translation>{0} — Kundenanzeige</translation>
    </message>
    <message>
        <source>Total  {0}</source>
        <translation>Summe  {0}</translation>
    </message>
    <message>
        <source>Change  {0}</source>
        <translation>Rückgeld  {0}</translation>
    </message>
    <message>
        <source>Paid by card</source>
        <translation>Mit Karte bezahlt</translation>
    </message>
    <message>
        <source>Thank you for shopping at {0}!</source>
        <translation>Danke für Ihren Einkauf bei {0}!</translation>
    </message>
    <message>
        <source>Welcome to {0}</source>
        <translation>Willkommen bei {0}</translation>
    </message>
</context>
<context>
    <name>DiscountActions</name>
    <message>
        <source>Today&apos;s promotions could not be read: {0}</source>
        <translation>Die heutigen Aktionen ließen sich nicht lesen: {0}</translation>
    </message>
    <message>
        <source>The cart is empty; scan a product first.</source>
        <translation>Der Warenkorb ist leer; scannen Sie zuerst ein Produkt.</translation>
    </message>
    <message>
        <source>The discount was not given: nobody approved it.</source>
        <translation>Der Rabatt wurde nicht gewährt: niemand hat ihn freigegeben.</translation>
    </message>
    <message>
        <source>{0} cannot approve a discount of {1}; ask {2}.</source>
        <translation>{0} kann einen Rabatt von {1} nicht freigeben; fragen Sie {2}.</translation>
    </message>
    <message>
        <source>No discount on {0} any more.</source>
        <translation>Kein Rabatt mehr auf {0}.</translation>
    </message>
    <message>
        <source>{0} off {1} ({2}); the cart now saves {3}.</source>
        <translation>{0} Rabatt auf {1} ({2}); der Warenkorb spart jetzt {3}.</translation>
    </message>
</context>
<context>
    <name>DiscountDialog</name>
    <message>
        <source>Discount</source>
        <translation>Rabatt</translation>
    </message>
    <message>
        <source>% off</source>
        <translation>% Rabatt</translation>
    </message>
    <message>
        <source>amount off</source>
        <translation>Nachlass</translation>
    </message>
    <message>
        <source>e.g. 10 or 1.50</source>
        <translation>z. B. 10 oder 1,50</translation>
    </message>
    <message>
        <source>Why? (printed on the receipt)</source>
        <translation>Warum? (steht auf dem Beleg)</translation>
    </message>
    <message>
        <source>Before discount</source>
        <translation>Vor Rabatt</translation>
    </message>
    <message>
        <source>&amp;Reason</source>
        <translation>&amp;Grund</translation>
    </message>
    <message>
        <source>Apply  Enter</source>
        <translation>Übernehmen  Eingabe</translation>
    </message>
    <message>
        <source>No discount</source>
        <translation>Kein Rabatt</translation>
    </message>
    <message>
        <source>Back  Esc</source>
        <translation>Zurück  Esc</translation>
    </message>
    <message>
        <source>Takes {0} off; {1} to pay.</source>
        <translation>Zieht {0} ab; {1} zu zahlen.</translation>
    </message>
</context>
<context>
    <name>DocumentDialog</name>
    <message>
        <source>Next sale  Enter</source>
        <translation>Nächster Verkauf  Eingabe</translation>
    </message>
    <message>
        <source>Print  F5</source>
        <translation>Drucken  F5</translation>
    </message>
    <message>
        <source>Save PDF…  Ctrl+S</source>
        <translation>PDF speichern …  Strg+S</translation>
    </message>
    <message>
        <source>Saved as {0}</source>
        <translation>Gespeichert als {0}</translation>
    </message>
    <message>
        <source>Close  Enter</source>
        <translation>Schließen  Eingabe</translation>
    </message>
</context>
<context>
    <name>FilterPanel</name>
    <message>
        <source>Find products by name, SKU or barcode</source>
        <translation>Produkte nach Name, Artikelnummer oder Barcode suchen</translation>
    </message>
    <message>
        <source>Clear filters</source>
        <translation>Filter löschen</translation>
    </message>
    <message>
        <source>Nothing ticked means all.</source>
        <translation>Nichts angehakt heißt alle.</translation>
    </message>
    <message>
        <source>&lt;b&gt;Categories&lt;/b&gt;</source>
        <translation>&lt;b&gt;Kategorien&lt;/b&gt;</translation>
    </message>
    <message>
        <source>&lt;b&gt;Products&lt;/b&gt;</source>
        <translation>&lt;b&gt;Produkte&lt;/b&gt;</translation>
    </message>
</context>
<context>
    <name>HourTab</name>
    <message>
        <source>No sales in this range.</source>
        <translation>Keine Verkäufe in diesem Zeitraum.</translation>
    </message>
    <message>
        <source>Sales per hour of the day (shop time)</source>
        <translation>Verkäufe je Tagesstunde (Ortszeit des Geschäfts)</translation>
    </message>
</context>
<context>
    <name>ImportErrorsDialog</name>
    <message>
        <source>Import products: nothing was imported</source>
        <translation>Produkte importieren: nichts wurde importiert</translation>
    </message>
    <message>
        <source>&amp;Copy all</source>
        <translation>Alles &amp;kopieren</translation>
    </message>
    <message>
        <source>Ctrl+C copies the selection</source>
        <translation>Strg+C kopiert die Auswahl</translation>
    </message>
    <message>
        <source>Nothing was imported. Correct this problem (on 1 line) and import the file again.</source>
        <translation>Nichts wurde importiert. Beheben Sie dieses Problem (in 1 Zeile) und importieren Sie die Datei erneut.</translation>
    </message>
    <message numerus="yes">
        <source>Nothing was imported. Correct these {0} problems (on %Ln line(s)) and import the file again.</source>
        <translation>
            <numerusform>Nichts wurde importiert. Beheben Sie diese {0} Probleme (in %Ln Zeile) und importieren Sie die Datei erneut.</numerusform>
            <numerusform>Nichts wurde importiert. Beheben Sie diese {0} Probleme (in %Ln Zeilen) und importieren Sie die Datei erneut.</numerusform>
        </translation>
    </message>
    <message>
        <source>Line</source>
        <translation>Zeile</translation>
    </message>
    <message>
        <source>Field</source>
        <translation>Feld</translation>
    </message>
    <message>
        <source>Problem</source>
        <translation>Problem</translation>
    </message>
</context>
<context>
    <name>InsightTabs</name>
    <message>
        <source>Top sellers</source>
        <translation>Bestseller</translation>
    </message>
    <message>
        <source>Slow movers</source>
        <translation>Ladenhüter</translation>
    </message>
    <message>
        <source>By hour</source>
        <translation>Nach Stunde</translation>
    </message>
    <message>
        <source>By weekday</source>
        <translation>Nach Wochentag</translation>
    </message>
</context>
<context>
    <name>InventoryScreen</name>
    <message>
        <source>Inventory</source>
        <translation>Bestand</translation>
    </message>
    <message>
        <source>Filter by name, SKU or barcode  (Ctrl+F)</source>
        <translation>Nach Name, Artikelnummer oder Barcode filtern  (Strg+F)</translation>
    </message>
    <message>
        <source>Rows at or below this quantity (kg for products sold by weight) are highlighted</source>
        <translation>Zeilen mit höchstens dieser Menge (kg bei Waren nach Gewicht) werden hervorgehoben</translation>
    </message>
    <message>
        <source>Low stock only</source>
        <translation>Nur knapper Bestand</translation>
    </message>
    <message>
        <source>Adjust…</source>
        <translation>Korrigieren …</translation>
    </message>
    <message>
        <source>Correct the selected product</source>
        <translation>Das gewählte Produkt korrigieren</translation>
    </message>
    <message>
        <source>Low stock at or below</source>
        <translation>Knapp bei höchstens</translation>
    </message>
    <message>
        <source>Labels for restocked…</source>
        <translation>Etiketten für Zugebuchtes …</translation>
    </message>
    <message>
        <source>Shelf labels of the restocked products</source>
        <translation>Regaletiketten der zugebuchten Produkte</translation>
    </message>
    <message>
        <source>Movements</source>
        <translation>Bewegungen</translation>
    </message>
    <message numerus="yes">
        <source>%Ln product(s)</source>
        <translation>
            <numerusform>%Ln Produkt</numerusform>
            <numerusform>%Ln Produkte</numerusform>
        </translation>
    </message>
    <message>
        <source>{0} of {1} loaded</source>
        <translation>{0} von {1} geladen</translation>
    </message>
    <message>
        <source>{0} · {1} at or below {2} shown</source>
        <translation>{0} · {1} mit höchstens {2} angezeigt</translation>
    </message>
    <message>
        <source>Movements of {0}</source>
        <translation>Bewegungen von {0}</translation>
    </message>
    <message>
        <source>{0}: now {1} in stock.</source>
        <translation>{0}: jetzt {1} auf Lager.</translation>
    </message>
    <message>
        <source>Labels for restocked ({0})…</source>
        <translation>Etiketten für Zugebuchtes ({0}) …</translation>
    </message>
    <message>
        <source>Adjusted {0}: now {1} in stock.</source>
        <translation>{0} korrigiert: jetzt {1} auf Lager.</translation>
    </message>
</context>
<context>
    <name>LabelsDialog</name>
    <message>
        <source>Shelf labels</source>
        <translation>Regaletiketten</translation>
    </message>
    <message>
        <source>Product</source>
        <translation>Artikel</translation>
    </message>
    <message>
        <source>Price</source>
        <translation>Preis</translation>
    </message>
    <message>
        <source>Code</source>
        <translation>Code</translation>
    </message>
    <message>
        <source>Copies</source>
        <translation>Anzahl</translation>
    </message>
    <message>
        <source>PDF sheet (A4, 3 x 8 labels)</source>
        <translation>PDF-Bogen (A4, 3 × 8 Etiketten)</translation>
    </message>
    <message>
        <source>Receipt printer</source>
        <translation>Bondrucker</translation>
    </message>
    <message>
        <source>Skip labels already used on the first sheet</source>
        <translation>Auf dem ersten Bogen schon benutzte Etiketten überspringen</translation>
    </message>
    <message>
        <source>Print to</source>
        <translation>Drucken auf</translation>
    </message>
    <message>
        <source>Start at label</source>
        <translation>Beginnen bei Etikett</translation>
    </message>
    <message>
        <source>Create labels</source>
        <translation>Etiketten erstellen</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>Schließen</translation>
    </message>
    <message numerus="yes">
        <source>%Ln label(s): {0}</source>
        <translation>
            <numerusform>%Ln Etikett: {0}</numerusform>
            <numerusform>%Ln Etiketten: {0}</numerusform>
        </translation>
    </message>
    <message>
        <source>Writing the labels…</source>
        <translation>Die Etiketten werden geschrieben …</translation>
    </message>
    <message numerus="yes">
        <source>%Ln page(s)</source>
        <translation>
            <numerusform>%Ln Seite</numerusform>
            <numerusform>%Ln Seiten</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%Ln label(s) on {0} saved to {1}.</source>
        <translation>
            <numerusform>%Ln Etikett auf {0} gespeichert in {1}.</numerusform>
            <numerusform>%Ln Etiketten auf {0} gespeichert in {1}.</numerusform>
        </translation>
    </message>
    <message>
        <source>The labels could not be saved: {0}</source>
        <translation>Die Etiketten konnten nicht gespeichert werden: {0}</translation>
    </message>
</context>
<context>
    <name>LockDialog</name>
    <message>
        <source>Till locked</source>
        <translation>Kasse gesperrt</translation>
    </message>
    <message>
        <source>The till is locked</source>
        <translation>Die Kasse ist gesperrt</translation>
    </message>
    <message>
        <source>{0} ({1}): enter your password to continue.</source>
        <translation>{0} ({1}): geben Sie Ihr Passwort ein, um fortzufahren.</translation>
    </message>
    <message>
        <source>{0} ({1}): enter your password to log in again.</source>
        <translation>{0} ({1}): geben Sie Ihr Passwort ein, um sich erneut anzumelden.</translation>
    </message>
    <message>
        <source>Unlock</source>
        <translation>Entsperren</translation>
    </message>
    <message>
        <source>Log out</source>
        <translation>Abmelden</translation>
    </message>
</context>
<context>
    <name>LoginDialog</name>
    <message>
        <source>Log in to open the till.</source>
        <translation>Melden Sie sich an, um die Kasse zu öffnen.</translation>
    </message>
    <message>
        <source>name@shop.example</source>
        <translation>name@laden.example</translation>
    </message>
    <message>
        <source>Log in</source>
        <translation>Anmelden</translation>
    </message>
    <message>
        <source>Quit</source>
        <translation>Beenden</translation>
    </message>
    <message>
        <source>E-mail</source>
        <translation>E-Mail</translation>
    </message>
    <message>
        <source>Password</source>
        <translation>Passwort</translation>
    </message>
    <message>
        <source>Enter your e-mail and password.</source>
        <translation>Geben Sie Ihre E-Mail-Adresse und Ihr Passwort ein.</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>{0} ({1})</source>
        <translation>{0} ({1})</translation>
    </message>
    <message>
        <source>Lock</source>
        <translation>Sperren</translation>
    </message>
    <message>
        <source>Log out</source>
        <translation>Abmelden</translation>
    </message>
    <message>
        <source>Quit</source>
        <translation>Beenden</translation>
    </message>
    <message>
        <source>About Till</source>
        <translation>Über Till</translation>
    </message>
    <message>
        <source>Keyboard shortcuts</source>
        <translation>Tastenkürzel</translation>
    </message>
    <message>
        <source>Full screen</source>
        <translation>Vollbild</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>&amp;Datei</translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation>&amp;Ansicht</translation>
    </message>
    <message>
        <source>&amp;Go</source>
        <translation>&amp;Gehe zu</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>&amp;Hilfe</translation>
    </message>
    <message>
        <source>Screens</source>
        <translation>Ansichten</translation>
    </message>
    <message>
        <source>Welcome back.</source>
        <translation>Willkommen zurück.</translation>
    </message>
</context>
<context>
    <name>Method</name>
    <message>
        <source>Cash</source>
        <translation>Bar</translation>
    </message>
    <message>
        <source>Card</source>
        <translation>Karte</translation>
    </message>
    <message>
        <source>Card + cash</source>
        <translation>Karte + bar</translation>
    </message>
</context>
<context>
    <name>OpenShiftDialog</name>
    <message>
        <source>Open a shift</source>
        <translation>Schicht öffnen</translation>
    </message>
    <message>
        <source>{0} Count the cash float put into the drawer and open the shift.</source>
        <translation>{0} Zählen Sie das Wechselgeld in der Lade und öffnen Sie die Schicht.</translation>
    </message>
    <message>
        <source>Cash float</source>
        <translation>Wechselgeld</translation>
    </message>
    <message>
        <source>Open shift  Enter</source>
        <translation>Schicht öffnen  Eingabe</translation>
    </message>
</context>
<context>
    <name>PasswordDialog</name>
    <message>
        <source>Reset password</source>
        <translation>Passwort zurücksetzen</translation>
    </message>
    <message>
        <source>User</source>
        <translation>Konto</translation>
    </message>
    <message>
        <source>&amp;New password</source>
        <translation>&amp;Neues Passwort</translation>
    </message>
    <message>
        <source>Re&amp;peat</source>
        <translation>&amp;Wiederholen</translation>
    </message>
</context>
<context>
    <name>PayDialog</name>
    <message>
        <source>Payment</source>
        <translation>Zahlung</translation>
    </message>
    <message>
        <source>Amount due</source>
        <translation>Zu zahlen</translation>
    </message>
    <message>
        <source>Cash  F5</source>
        <translation>Bar  F5</translation>
    </message>
    <message>
        <source>Card  F6</source>
        <translation>Karte  F6</translation>
    </message>
    <message>
        <source>Card + cash  F7</source>
        <translation>Karte + bar  F7</translation>
    </message>
    <message>
        <source>Confirm  Enter</source>
        <translation>Bestätigen  Eingabe</translation>
    </message>
    <message>
        <source>Back  Esc</source>
        <translation>Zurück  Esc</translation>
    </message>
    <message>
        <source>Card amount</source>
        <translation>Kartenbetrag</translation>
    </message>
    <message>
        <source>Cash to pay</source>
        <translation>Bar zu zahlen</translation>
    </message>
    <message>
        <source>Exact</source>
        <translation>Passend</translation>
    </message>
    <message>
        <source>Change</source>
        <translation>Rückgeld</translation>
    </message>
    <message>
        <source>Tendered</source>
        <translation>Gegeben</translation>
    </message>
    <message>
        <source>Too little: {0} still to pay</source>
        <translation>Zu wenig: noch {0} zu zahlen</translation>
    </message>
    <message>
        <source>Charging…</source>
        <translation>Wird kassiert …</translation>
    </message>
</context>
<context>
    <name>PaymentFlow</name>
    <message>
        <source>The cart is empty; scan a product first.</source>
        <translation>Der Warenkorb ist leer; scannen Sie zuerst ein Produkt.</translation>
    </message>
    <message>
        <source>Still working; press Pay again in a moment.</source>
        <translation>Noch in Arbeit; drücken Sie gleich noch einmal Bezahlen.</translation>
    </message>
    <message>
        <source>Nothing was sold: the changed price needs a manager&apos;s approval.</source>
        <translation>Nichts wurde verkauft: der geänderte Preis braucht die Freigabe einer Filialleitung.</translation>
    </message>
    <message>
        <source>Sale {0} saved. Change due: {1}.</source>
        <translation>Verkauf {0} gespeichert. Rückgeld: {1}.</translation>
    </message>
    <message>
        <source>The sale was saved, but its receipt could not be shown: {0} Open it from the Receipts screen.</source>
        <translation>Der Verkauf wurde gespeichert, aber sein Beleg ließ sich nicht zeigen: {0} Öffnen Sie ihn unter Belege.</translation>
    </message>
</context>
<context>
    <name>PriceDialog</name>
    <message>
        <source>Change price</source>
        <translation>Preis ändern</translation>
    </message>
    <message>
        <source>List price</source>
        <translation>Listenpreis</translation>
    </message>
    <message>
        <source>Quantity</source>
        <translation>Menge</translation>
    </message>
    <message>
        <source>New unit price</source>
        <translation>Neuer Stückpreis</translation>
    </message>
    <message>
        <source>Apply  Enter</source>
        <translation>Übernehmen  Eingabe</translation>
    </message>
    <message>
        <source>Back  Esc</source>
        <translation>Zurück  Esc</translation>
    </message>
    <message>
        <source>Approved by {0}.</source>
        <translation>Freigegeben von {0}.</translation>
    </message>
    <message>
        <source>Enter a price from {0} up.</source>
        <translation>Geben Sie einen Preis ab {0} ein.</translation>
    </message>
</context>
<context>
    <name>Printer</name>
    <message>
        <source>Sent to the receipt printer.</source>
        <translation>An den Bondrucker gesendet.</translation>
    </message>
    <message>
        <source>Printer ready</source>
        <translation>Drucker bereit</translation>
    </message>
    <message>
        <source>Printing…</source>
        <translation>Druckt …</translation>
    </message>
    <message>
        <source>Printer offline</source>
        <translation>Drucker nicht erreichbar</translation>
    </message>
    <message>
        <source>Printer out of paper</source>
        <translation>Drucker ohne Papier</translation>
    </message>
    <message>
        <source>Printer error</source>
        <translation>Druckerfehler</translation>
    </message>
    <message>
        <source>{0} ({1} waiting)</source>
        <translation>{0} ({1} wartend)</translation>
    </message>
    <message>
        <source>Queued: {0} It prints once the printer is back.</source>
        <translation>Eingereiht: {0} Der Druck folgt, sobald der Drucker wieder da ist.</translation>
    </message>
</context>
<context>
    <name>Printing</name>
    <message>
        <source>Sent to the printer.</source>
        <translation>An den Drucker gesendet.</translation>
    </message>
    <message>
        <source>Printing was cancelled.</source>
        <translation>Der Druck wurde abgebrochen.</translation>
    </message>
    <message>
        <source>No printer is connected to this till.</source>
        <translation>An dieser Kasse ist kein Drucker angeschlossen.</translation>
    </message>
    <message>
        <source>The printer reported an error.</source>
        <translation>Der Drucker hat einen Fehler gemeldet.</translation>
    </message>
    <message>
        <source>{0} A PDF copy is kept at {1}.</source>
        <translation>{0} Eine PDF-Kopie liegt unter {1}.</translation>
    </message>
    <message>
        <source>{0} The PDF could not be saved either.</source>
        <translation>{0} Auch das PDF konnte nicht gespeichert werden.</translation>
    </message>
</context>
<context>
    <name>ProductCount</name>
    <message>
        <source>{0} of {1} products loaded — scroll for more</source>
        <translation>{0} von {1} Produkten geladen — für mehr scrollen</translation>
    </message>
    <message>
        <source>1 product</source>
        <translation>1 Produkt</translation>
    </message>
    <message>
        <source>{0} products</source>
        <translation>{0} Produkte</translation>
    </message>
</context>
<context>
    <name>ProductDialog</name>
    <message>
        <source>Edit product</source>
        <translation>Produkt bearbeiten</translation>
    </message>
    <message>
        <source>New product</source>
        <translation>Neues Produkt</translation>
    </message>
    <message>
        <source>EAN-13 or UPC-A (optional)</source>
        <translation>EAN-13 oder UPC-A (optional)</translation>
    </message>
    <message>
        <source>Sold by &amp;weight (price per kg)</source>
        <translation>Nach &amp;Gewicht verkauft (Preis je kg)</translation>
    </message>
    <message>
        <source>PLU on scale labels (optional)</source>
        <translation>PLU auf Waagenetiketten (optional)</translation>
    </message>
    <message>
        <source>&amp;Name</source>
        <translation>&amp;Name</translation>
    </message>
    <message>
        <source>&amp;Category</source>
        <translation>&amp;Kategorie</translation>
    </message>
    <message>
        <source>&amp;SKU</source>
        <translation>&amp;Artikelnummer</translation>
    </message>
    <message>
        <source>&amp;Barcode</source>
        <translation>&amp;Barcode</translation>
    </message>
    <message>
        <source>kg, e.g. 5.250 (optional)</source>
        <translation>kg, z. B. 5,250 (optional)</translation>
    </message>
    <message>
        <source>Initial stock (&amp;kg)</source>
        <translation>Anfangsbestand (&amp;kg)</translation>
    </message>
    <message>
        <source>per kg, e.g. {0}</source>
        <translation>je kg, z. B. {0}</translation>
    </message>
    <message>
        <source>e.g. {0}</source>
        <translation>z. B. {0}</translation>
    </message>
    <message>
        <source>Enter the scale code as a number from 1 to {0}.</source>
        <translation>Geben Sie den Waagencode als Zahl von 1 bis {0} ein.</translation>
    </message>
    <message>
        <source>&amp;Price</source>
        <translation>&amp;Preis</translation>
    </message>
    <message>
        <source>&amp;Price per kg</source>
        <translation>&amp;Preis je kg</translation>
    </message>
    <message>
        <source>Sold by</source>
        <translation>Verkauft nach</translation>
    </message>
    <message>
        <source>Sc&amp;ale code</source>
        <translation>W&amp;aagencode</translation>
    </message>
    <message>
        <source>&amp;Description</source>
        <translation>&amp;Beschreibung</translation>
    </message>
    <message>
        <source>Initial &amp;stock</source>
        <translation>Anfangs&amp;bestand</translation>
    </message>
</context>
<context>
    <name>ProductPane</name>
    <message>
        <source>All categories</source>
        <translation>Alle Kategorien</translation>
    </message>
    <message>
        <source>Products</source>
        <translation>Produkte</translation>
    </message>
    <message>
        <source>Filter by name, SKU or barcode  (Ctrl+F)</source>
        <translation>Nach Name, Artikelnummer oder Barcode filtern  (Strg+F)</translation>
    </message>
    <message>
        <source>New product…</source>
        <translation>Neues Produkt …</translation>
    </message>
    <message>
        <source>Ctrl+N</source>
        <translation>Strg+N</translation>
    </message>
    <message>
        <source>Edit…</source>
        <translation>Bearbeiten …</translation>
    </message>
    <message>
        <source>Ctrl+E or Enter</source>
        <translation>Strg+E oder Eingabe</translation>
    </message>
    <message>
        <source>Deactivate</source>
        <translation>Deaktivieren</translation>
    </message>
    <message>
        <source>Labels…</source>
        <translation>Etiketten …</translation>
    </message>
    <message>
        <source>Shelf labels of the selected products</source>
        <translation>Regaletiketten der gewählten Produkte</translation>
    </message>
</context>
<context>
    <name>ProgressDialog</name>
    <message>
        <source>Esc</source>
        <translation>Esc</translation>
    </message>
    <message>
        <source>{0} of {1}</source>
        <translation>{0} von {1}</translation>
    </message>
</context>
<context>
    <name>PromotionDialog</name>
    <message>
        <source>Change promotion</source>
        <translation>Aktion ändern</translation>
    </message>
    <message>
        <source>New promotion</source>
        <translation>Neue Aktion</translation>
    </message>
    <message>
        <source>e.g. Summer drinks, 3 for 2 crisps</source>
        <translation>z. B. Sommergetränke, 3 für 2 Chips</translation>
    </message>
    <message>
        <source>Last day</source>
        <translation>Letzter Tag</translation>
    </message>
    <message>
        <source>&amp;Name</source>
        <translation>&amp;Name</translation>
    </message>
    <message>
        <source>&amp;Type</source>
        <translation>&amp;Art</translation>
    </message>
    <message>
        <source>&amp;Deal</source>
        <translation>&amp;Angebot</translation>
    </message>
    <message>
        <source>&amp;First day</source>
        <translation>&amp;Erster Tag</translation>
    </message>
    <message>
        <source>&amp;Covers</source>
        <translation>&amp;Gilt für</translation>
    </message>
    <message>
        <source>per unit</source>
        <translation>je Stück</translation>
    </message>
    <message>
        <source>Buy</source>
        <translation>Kaufe</translation>
    </message>
    <message>
        <source>One of each chosen product for</source>
        <translation>Je eines der gewählten Produkte für</translation>
    </message>
</context>
<context>
    <name>PromotionsScreen</name>
    <message>
        <source>Promotions</source>
        <translation>Aktionen</translation>
    </message>
    <message>
        <source>New promotion…</source>
        <translation>Neue Aktion …</translation>
    </message>
    <message>
        <source>Insert or Ctrl+N</source>
        <translation>Einfg oder Strg+N</translation>
    </message>
    <message>
        <source>Change…</source>
        <translation>Ändern …</translation>
    </message>
    <message>
        <source>Enter</source>
        <translation>Eingabe</translation>
    </message>
    <message>
        <source>End now</source>
        <translation>Jetzt beenden</translation>
    </message>
    <message>
        <source>Ctrl+E</source>
        <translation>Strg+E</translation>
    </message>
    <message>
        <source>Show past promotions</source>
        <translation>Vergangene Aktionen zeigen</translation>
    </message>
    <message>
        <source>Only managers and owners can manage promotions.</source>
        <translation>Nur Filialleitungen und Inhaber verwalten Aktionen.</translation>
    </message>
    <message>
        <source>The till applies running promotions by itself: per line the one saving the customer most (equal savings: the older promotion); a line is in one promotion at most.</source>
        <translation>Die Kasse wendet laufende Aktionen selbst an: je Position die, die der Kundschaft am meisten spart (bei gleicher Ersparnis die ältere); eine Position ist in höchstens einer Aktion.</translation>
    </message>
    <message>
        <source>End promotion</source>
        <translation>Aktion beenden</translation>
    </message>
    <message>
        <source>End “{0}” now? The till stops applying it at once.</source>
        <translation>„{0}“ jetzt beenden? Die Kasse wendet sie sofort nicht mehr an.</translation>
    </message>
    <message>
        <source>Saved the promotion {0} ({1}).</source>
        <translation>Aktion {0} gespeichert ({1}).</translation>
    </message>
    <message>
        <source>Ended the promotion {0}.</source>
        <translation>Aktion {0} beendet.</translation>
    </message>
</context>
<context>
    <name>RankedTab</name>
    <message>
        <source>Rank by</source>
        <translation>Ordnen nach</translation>
    </message>
    <message>
        <source>Show</source>
        <translation>Zeigen</translation>
    </message>
</context>
<context>
    <name>RecallDialog</name>
    <message>
        <source>Recall a held sale</source>
        <translation>Geparkten Verkauf zurückholen</translation>
    </message>
    <message>
        <source>Held sales</source>
        <translation>Geparkte Verkäufe</translation>
    </message>
    <message>
        <source>Recall  Enter</source>
        <translation>Zurückholen  Eingabe</translation>
    </message>
    <message>
        <source>Back  Esc</source>
        <translation>Zurück  Esc</translation>
    </message>
    <message numerus="yes">
        <source>%Ln held sale(s), oldest first.</source>
        <translation>
            <numerusform>%Ln geparkter Verkauf, älteste zuerst.</numerusform>
            <numerusform>%Ln geparkte Verkäufe, älteste zuerst.</numerusform>
        </translation>
    </message>
    <message>
        <source>No sales are held.</source>
        <translation>Keine Verkäufe geparkt.</translation>
    </message>
</context>
<context>
    <name>Receipt</name>
    <message>
        <source>Columns</source>
        <translation>Spalten</translation>
    </message>
    <message>
        <source>PRINTER TEST</source>
        <translation>DRUCKERTEST</translation>
    </message>
    <message>
        <source>Printed</source>
        <translation>Gedruckt</translation>
    </message>
    <message>
        <source>Printer</source>
        <translation>Drucker</translation>
    </message>
    <message>
        <source>Reason</source>
        <translation>Grund</translation>
    </message>
    <message>
        <source>Signature:</source>
        <translation>Unterschrift:</translation>
    </message>
    <message>
        <source>REFUNDED</source>
        <translation>ERSTATTET</translation>
    </message>
    <message>
        <source>Refund {0} {1}</source>
        <translation>Erstattung {0} {1}</translation>
    </message>
    <message>
        <source>Sample line</source>
        <translation>Beispielzeile</translation>
    </message>
    <message>
        <source>Z REPORT - SHIFT {0}</source>
        <translation>Z-BERICHT - SCHICHT {0}</translation>
    </message>
    <message>
        <source>by</source>
        <translation>von</translation>
    </message>
    <message>
        <source>Approved by</source>
        <translation>Freigegeben von</translation>
    </message>
    <message>
        <source>COPY</source>
        <translation>KOPIE</translation>
    </message>
    <message>
        <source>Card</source>
        <translation>Karte</translation>
    </message>
    <message>
        <source>Cash</source>
        <translation>Bar</translation>
    </message>
    <message>
        <source>Cash handed over</source>
        <translation>Bar erhalten</translation>
    </message>
    <message>
        <source>Change</source>
        <translation>Rückgeld</translation>
    </message>
    <message>
        <source>Change given</source>
        <translation>Rückgeld gegeben</translation>
    </message>
    <message>
        <source>Closed</source>
        <translation>Geschlossen</translation>
    </message>
    <message>
        <source>Counted</source>
        <translation>Gezählt</translation>
    </message>
    <message>
        <source>Date</source>
        <translation>Datum</translation>
    </message>
    <message>
        <source>Difference</source>
        <translation>Differenz</translation>
    </message>
    <message>
        <source>Drawer openings</source>
        <translation>Ladenöffnungen</translation>
    </message>
    <message>
        <source>Expected cash</source>
        <translation>Erwartetes Bargeld</translation>
    </message>
    <message>
        <source>of which no sale</source>
        <translation>davon ohne Verkauf</translation>
    </message>
    <message>
        <source>Float</source>
        <translation>Wechselgeld</translation>
    </message>
    <message>
        <source>For receipt</source>
        <translation>Zu Beleg</translation>
    </message>
    <message>
        <source>Gross</source>
        <translation>Brutto</translation>
    </message>
    <message>
        <source>Net</source>
        <translation>Netto</translation>
    </message>
    <message>
        <source>Opened</source>
        <translation>Geöffnet</translation>
    </message>
    <message>
        <source>Paid back ({0})</source>
        <translation>Zurückgezahlt ({0})</translation>
    </message>
    <message>
        <source>Prices include tax.</source>
        <translation>Preise inkl. MwSt.</translation>
    </message>
    <message>
        <source>REFUND</source>
        <translation>ERSTATTUNG</translation>
    </message>
    <message>
        <source>REFUND COPY</source>
        <translation>ERSTATTUNG KOPIE</translation>
    </message>
    <message>
        <source>Receipt</source>
        <translation>Beleg</translation>
    </message>
    <message>
        <source>Refund</source>
        <translation>Erstattung</translation>
    </message>
    <message>
        <source>Refund {0}  {1}</source>
        <translation>Erstattung {0}  {1}</translation>
    </message>
    <message>
        <source>Refunds ({0})</source>
        <translation>Erstattungen ({0})</translation>
    </message>
    <message>
        <source>Revenue</source>
        <translation>Umsatz</translation>
    </message>
    <message>
        <source>Sales</source>
        <translation>Verkäufe</translation>
    </message>
    <message>
        <source>Served by</source>
        <translation>Es bediente Sie</translation>
    </message>
    <message>
        <source>TOTAL</source>
        <translation>SUMME</translation>
    </message>
    <message>
        <source>You saved</source>
        <translation>Sie sparen</translation>
    </message>
    <message>
        <source> (was {0})</source>
        <translation> (vorher {0})</translation>
    </message>
    <message>
        <source>Discount</source>
        <translation>Rabatt</translation>
    </message>
    <message>
        <source>Discounts</source>
        <translation>Rabatte</translation>
    </message>
    <message>
        <source>Gross (before discounts)</source>
        <translation>Brutto (vor Rabatten)</translation>
    </message>
    <message>
        <source>Discounts and promotions</source>
        <translation>Rabatte und Aktionen</translation>
    </message>
    <message>
        <source>Revenue (net)</source>
        <translation>Umsatz (netto)</translation>
    </message>
    <message>
        <source>Tax</source>
        <translation>Steuer</translation>
    </message>
    <message>
        <source>Tax contained</source>
        <translation>Enthaltene Steuer</translation>
    </message>
    <message>
        <source>Thank you!</source>
        <translation>Vielen Dank!</translation>
    </message>
    <message>
        <source>Till</source>
        <translation>Kasse</translation>
    </message>
    <message>
        <source>Voids ({0})</source>
        <translation>Stornos ({0})</translation>
    </message>
    <message>
        <source>Z report — shift {0}</source>
        <translation>Z-Bericht — Schicht {0}</translation>
    </message>
    <message>
        <source>by card</source>
        <translation>mit Karte</translation>
    </message>
    <message>
        <source>in cash</source>
        <translation>bar</translation>
    </message>
    <message>
        <source>still open</source>
        <translation>noch offen</translation>
    </message>
    <message>
        <source>tax contained</source>
        <translation>enthaltene Steuer</translation>
    </message>
    <message>
        <source>{0} ({1})</source>
        <translation>{0} ({1})</translation>
    </message>
</context>
<context>
    <name>ReceiptDialog</name>
    <message>
        <source>Change due: {0}</source>
        <translation>Rückgeld: {0}</translation>
    </message>
    <message>
        <source>Receipt {0}</source>
        <translation>Beleg {0}</translation>
    </message>
    <message>
        <source>Sale complete — {0}</source>
        <translation>Verkauf abgeschlossen — {0}</translation>
    </message>
</context>
<context>
    <name>ReceiptsScreen</name>
    <message>
        <source>Scan or type a receipt or refund slip number, e.g. R00000123</source>
        <translation>Beleg- oder Erstattungsnummer scannen oder tippen, z. B. R00000123</translation>
    </message>
    <message>
        <source>Find  Enter</source>
        <translation>Suchen  Eingabe</translation>
    </message>
    <message>
        <source>Show day</source>
        <translation>Tag zeigen</translation>
    </message>
    <message>
        <source>Reprint  F5</source>
        <translation>Nachdrucken  F5</translation>
    </message>
    <message>
        <source>Save PDF…  Ctrl+S</source>
        <translation>PDF speichern …  Strg+S</translation>
    </message>
    <message>
        <source>Day</source>
        <translation>Tag</translation>
    </message>
    <message>
        <source>Scan or type a receipt number first.</source>
        <translation>Scannen oder tippen Sie zuerst eine Belegnummer.</translation>
    </message>
    <message>
        <source>Refund slip {0}: {1} paid back against receipt {2}.</source>
        <translation>Erstattungsbeleg {0}: {1} zurückgezahlt zu Beleg {2}.</translation>
    </message>
    <message>
        <source>Reason: {0}</source>
        <translation>Grund: {0}</translation>
    </message>
    <message>
        <source>Receipt {0} from {1}.</source>
        <translation>Beleg {0} vom {1}.</translation>
    </message>
    <message>
        <source>No receipts on {0}.</source>
        <translation>Keine Belege am {0}.</translation>
    </message>
    <message numerus="yes">
        <source>%Ln receipt(s) on {0} (the latest ones).</source>
        <translation>
            <numerusform>%Ln Beleg am {0} (die neuesten).</numerusform>
            <numerusform>%Ln Belege am {0} (die neuesten).</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%Ln receipt(s) on {0}.</source>
        <translation>
            <numerusform>%Ln Beleg am {0}.</numerusform>
            <numerusform>%Ln Belege am {0}.</numerusform>
        </translation>
    </message>
    <message>
        <source>Choose a receipt.</source>
        <translation>Wählen Sie einen Beleg.</translation>
    </message>
</context>
<context>
    <name>RefundColumn</name>
    <message>
        <source>Product</source>
        <translation>Produkt</translation>
    </message>
    <message>
        <source>SKU</source>
        <translation>Artikelnr.</translation>
    </message>
    <message>
        <source>Paid per unit</source>
        <translation>Bezahlt je Stück</translation>
    </message>
    <message>
        <source>Sold</source>
        <translation>Verkauft</translation>
    </message>
    <message>
        <source>Returned</source>
        <translation>Zurückgegeben</translation>
    </message>
    <message>
        <source>Returnable</source>
        <translation>Rückgebbar</translation>
    </message>
    <message>
        <source>Refund</source>
        <translation>Erstattung</translation>
    </message>
    <message>
        <source>Amount</source>
        <translation>Betrag</translation>
    </message>
</context>
<context>
    <name>RefundPreview</name>
    <message>
        <source>Scan a receipt to refund from it.</source>
        <translation>Scannen Sie einen Beleg, um daraus zu erstatten.</translation>
    </message>
    <message>
        <source>Receipt</source>
        <translation>Beleg</translation>
    </message>
    <message>
        <source>Receipt {0}</source>
        <translation>Beleg {0}</translation>
    </message>
    <message>
        <source>Refund slip {0}</source>
        <translation>Erstattungsbeleg {0}</translation>
    </message>
</context>
<context>
    <name>RefundReason</name>
    <message>
        <source>Damaged</source>
        <translation>Beschädigt</translation>
    </message>
    <message>
        <source>Wrong item</source>
        <translation>Falscher Artikel</translation>
    </message>
    <message>
        <source>Changed mind</source>
        <translation>Nicht mehr gewünscht</translation>
    </message>
    <message>
        <source>Not as described</source>
        <translation>Nicht wie beschrieben</translation>
    </message>
    <message>
        <source>Other (type the reason)</source>
        <translation>Anderer Grund (eintippen)</translation>
    </message>
    <message>
        <source>Choose or type why it comes back</source>
        <translation>Wählen oder eintippen, warum die Ware zurückkommt</translation>
    </message>
    <message>
        <source>Type the reason</source>
        <translation>Grund eintippen</translation>
    </message>
</context>
<context>
    <name>RefundsScreen</name>
    <message>
        <source>Scan or type the receipt number, e.g. R00000123</source>
        <translation>Belegnummer scannen oder tippen, z. B. R00000123</translation>
    </message>
    <message>
        <source>Find  Enter</source>
        <translation>Suchen  Eingabe</translation>
    </message>
    <message>
        <source>All returnable  F6</source>
        <translation>Alles Rückgebbare  F6</translation>
    </message>
    <message>
        <source>None  F7</source>
        <translation>Nichts  F7</translation>
    </message>
    <message>
        <source>&amp;Reason  F8</source>
        <translation>&amp;Grund  F8</translation>
    </message>
    <message>
        <source>Cash  F3</source>
        <translation>Bar  F3</translation>
    </message>
    <message>
        <source>Card  F4</source>
        <translation>Karte  F4</translation>
    </message>
    <message>
        <source>Refund  F12</source>
        <translation>Erstatten  F12</translation>
    </message>
    <message>
        <source>Pay back:</source>
        <translation>Zurückzahlen:</translation>
    </message>
    <message>
        <source>Reason for the refund</source>
        <translation>Grund der Erstattung</translation>
    </message>
    <message>
        <source>Scan or type a receipt number first.</source>
        <translation>Scannen oder tippen Sie zuerst eine Belegnummer.</translation>
    </message>
    <message>
        <source>Choose what comes back from {0}.</source>
        <translation>Wählen Sie, was von {0} zurückkommt.</translation>
    </message>
    <message>
        <source>Everything on {0} has been refunded already.</source>
        <translation>Alles auf {0} wurde bereits erstattet.</translation>
    </message>
    <message>
        <source>No receipt loaded.</source>
        <translation>Kein Beleg geladen.</translation>
    </message>
    <message>
        <source>{0} · {1} · till {2} · {3} · total {4}</source>
        <translation>{0} · {1} · Kasse {2} · {3} · Summe {4}</translation>
    </message>
    <message>
        <source> · refunded so far {0}</source>
        <translation> · bisher erstattet {0}</translation>
    </message>
    <message>
        <source>This sale was not paid by card.</source>
        <translation>Dieser Verkauf wurde nicht mit Karte bezahlt.</translation>
    </message>
    <message>
        <source>Refunding…</source>
        <translation>Wird erstattet …</translation>
    </message>
    <message>
        <source>Choose how many of a line come back first.</source>
        <translation>Wählen Sie zuerst, wie viele einer Position zurückkommen.</translation>
    </message>
    <message>
        <source>No shift is open on this till; the refund goes on its Z report.</source>
        <translation>An dieser Kasse ist keine Schicht geöffnet; die Erstattung kommt auf ihren Z-Bericht.</translation>
    </message>
    <message>
        <source>Nothing was refunded. {0}</source>
        <translation>Nichts wurde erstattet. {0}</translation>
    </message>
    <message>
        <source>A refund of {0} is above {1}; a manager must approve it.</source>
        <translation>Eine Erstattung von {0} liegt über {1}; die Filialleitung muss sie freigeben.</translation>
    </message>
    <message>
        <source>Nothing was refunded: the refund needs a manager&apos;s approval.</source>
        <translation>Nichts wurde erstattet: die Erstattung braucht die Freigabe einer Filialleitung.</translation>
    </message>
    <message>
        <source>Refund {0}: {1} paid back to the card.</source>
        <translation>Erstattung {0}: {1} auf die Karte zurückgezahlt.</translation>
    </message>
    <message>
        <source>Refund {0}: {1} paid back in cash.</source>
        <translation>Erstattung {0}: {1} bar ausgezahlt.</translation>
    </message>
</context>
<context>
    <name>RestockPanel</name>
    <message>
        <source>Scan a barcode, type a SKU and press Enter, or pick a row.</source>
        <translation>Barcode scannen, Artikelnummer tippen und Eingabe drücken oder eine Zeile wählen.</translation>
    </message>
    <message>
        <source>Restock</source>
        <translation>Zubuchen</translation>
    </message>
    <message>
        <source>Barcode or SKU</source>
        <translation>Barcode oder Artikelnummer</translation>
    </message>
    <message>
        <source>kg, e.g. 2.500 or 500 g</source>
        <translation>kg, z. B. 2,500 oder 500 g</translation>
    </message>
    <message>
        <source>Delivery note (optional)</source>
        <translation>Lieferschein (optional)</translation>
    </message>
    <message>
        <source>Add stock</source>
        <translation>Bestand zubuchen</translation>
    </message>
    <message>
        <source>Enter in the quantity field</source>
        <translation>Eingabe im Mengenfeld</translation>
    </message>
    <message>
        <source>&amp;Code</source>
        <translation>&amp;Code</translation>
    </message>
    <message>
        <source>&amp;Quantity</source>
        <translation>&amp;Menge</translation>
    </message>
    <message>
        <source>&amp;Weight (kg)</source>
        <translation>&amp;Gewicht (kg)</translation>
    </message>
    <message>
        <source>N&amp;ote</source>
        <translation>N&amp;otiz</translation>
    </message>
    <message>
        <source>&lt;b&gt;{0}&lt;/b&gt; — {1} in stock</source>
        <translation>&lt;b&gt;{0}&lt;/b&gt; — {1} auf Lager</translation>
    </message>
    <message>
        <source>{0} is counted in kg: enter the amount.</source>
        <translation>{0} wird in kg gezählt: Geben Sie die Menge ein.</translation>
    </message>
    <message>
        <source>{0} is counted in pieces: enter the amount.</source>
        <translation>{0} wird in Stück gezählt: Geben Sie die Menge ein.</translation>
    </message>
    <message>
        <source>Booked: &lt;b&gt;{0}&lt;/b&gt; — now {1} in stock. Scan the next one.</source>
        <translation>Gebucht: &lt;b&gt;{0}&lt;/b&gt; — jetzt {1} auf Lager. Scannen Sie den nächsten Artikel.</translation>
    </message>
</context>
<context>
    <name>Role</name>
    <message>
        <source>Cashier</source>
        <translation>Kassierer/in</translation>
    </message>
    <message>
        <source>Manager</source>
        <translation>Filialleitung</translation>
    </message>
    <message>
        <source>Owner</source>
        <translation>Inhaber</translation>
    </message>
</context>
<context>
    <name>RoleDialog</name>
    <message>
        <source>Change role</source>
        <translation>Rolle ändern</translation>
    </message>
    <message>
        <source>User</source>
        <translation>Konto</translation>
    </message>
    <message>
        <source>&amp;Role</source>
        <translation>&amp;Rolle</translation>
    </message>
</context>
<context>
    <name>SaleActions</name>
    <message>
        <source>Removed {0} (voided {1}).</source>
        <translation>{0} entfernt ({1} storniert).</translation>
    </message>
    <message>
        <source>The cart was voided ({0}).</source>
        <translation>Der Warenkorb wurde storniert ({0}).</translation>
    </message>
    <message>
        <source>The void could not be recorded: {0}</source>
        <translation>Das Storno ließ sich nicht speichern: {0}</translation>
    </message>
    <message>
        <source>The cart is empty; scan a product first.</source>
        <translation>Der Warenkorb ist leer; scannen Sie zuerst ein Produkt.</translation>
    </message>
    <message>
        <source>{0} is back at its list price {1}.</source>
        <translation>{0} hat wieder seinen Listenpreis {1}.</translation>
    </message>
    <message>
        <source>{0}: {1} instead of {2}.</source>
        <translation>{0}: {1} statt {2}.</translation>
    </message>
    <message>
        <source>The cart is empty; there is nothing to park.</source>
        <translation>Der Warenkorb ist leer; es gibt nichts zu parken.</translation>
    </message>
    <message>
        <source>Still working; press Park again in a moment.</source>
        <translation>Noch in Arbeit; drücken Sie gleich noch einmal Parken.</translation>
    </message>
    <message>
        <source>Sale {0} parked. Recall it with F8 at any till.</source>
        <translation>Verkauf {0} geparkt. Holen Sie ihn mit F8 an jeder Kasse zurück.</translation>
    </message>
    <message>
        <source>The sale was not parked: {0}</source>
        <translation>Der Verkauf wurde nicht geparkt: {0}</translation>
    </message>
    <message>
        <source>Finish or park the current sale before recalling another.</source>
        <translation>Schließen oder parken Sie den aktuellen Verkauf, bevor Sie einen anderen zurückholen.</translation>
    </message>
</context>
<context>
    <name>SaleController</name>
    <message numerus="yes">
        <source>Remove all %Ln line(s) from the cart? The void is recorded.</source>
        <translation>
            <numerusform>Die %Ln Position aus dem Warenkorb entfernen? Das Storno wird protokolliert.</numerusform>
            <numerusform>Alle %Ln Positionen aus dem Warenkorb entfernen? Das Storno wird protokolliert.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Recalled sale {0} (%Ln line(s)).</source>
        <translation>
            <numerusform>Verkauf {0} zurückgeholt (%Ln Position).</numerusform>
            <numerusform>Verkauf {0} zurückgeholt (%Ln Positionen).</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Nothing was charged: %Ln line(s) cannot be sold (marked in red). Fix them and press Pay again.</source>
        <translation>
            <numerusform>Nichts wurde kassiert: %Ln Position lässt sich nicht verkaufen (rot markiert). Korrigieren Sie sie und drücken Sie erneut Bezahlen.</numerusform>
            <numerusform>Nichts wurde kassiert: %Ln Positionen lassen sich nicht verkaufen (rot markiert). Korrigieren Sie sie und drücken Sie erneut Bezahlen.</numerusform>
        </translation>
    </message>
    <message>
        <source>Pay is off: line {0}, {1}, cannot be sold: {2}, {3} wanted. Change the quantity, remove the line, or count the stock (F6).</source>
        <translation>Bezahlen ist gesperrt: Position {0}, {1}, lässt sich nicht verkaufen: {2}, {3} gewünscht. Ändern Sie die Menge, entfernen Sie die Position oder zählen Sie den Bestand (F6).</translation>
    </message>
    <message numerus="yes">
        <source>Pay is off: line {0}, {1}, cannot be sold: {2}, {3} wanted (%Ln more line(s) too). Change the quantity, remove the line, or count the stock (F6).</source>
        <translation>
            <numerusform>Bezahlen ist gesperrt: Position {0}, {1}, lässt sich nicht verkaufen: {2}, {3} gewünscht (%Ln weitere Position ebenso). Ändern Sie die Menge, entfernen Sie die Position oder zählen Sie den Bestand (F6).</numerusform>
            <numerusform>Bezahlen ist gesperrt: Position {0}, {1}, lässt sich nicht verkaufen: {2}, {3} gewünscht (%Ln weitere Positionen ebenso). Ändern Sie die Menge, entfernen Sie die Position oder zählen Sie den Bestand (F6).</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>SaleLinesExport</name>
    <message>
        <source>Export sale lines…</source>
        <translation>Verkaufspositionen exportieren …</translation>
    </message>
    <message>
        <source>Every sold line of the chosen dates, whatever the filters, as a CSV file.</source>
        <translation>Jede verkaufte Position der gewählten Tage, unabhängig von den Filtern, als CSV-Datei.</translation>
    </message>
    <message>
        <source>Writing the sale lines of {0} – {1}…</source>
        <translation>Die Verkaufspositionen vom {0} – {1} werden geschrieben …</translation>
    </message>
    <message>
        <source>Exported 1 line to {1}</source>
        <translation>1 Position nach {1} exportiert</translation>
    </message>
    <message>
        <source>Exported {0} lines to {1}</source>
        <translation>{0} Positionen nach {1} exportiert</translation>
    </message>
</context>
<context>
    <name>SalesChart</name>
    <message>
        <source>{0} sales</source>
        <translation>{0} Verkäufe</translation>
    </message>
    <message>
        <source>No report yet.</source>
        <translation>Noch kein Bericht.</translation>
    </message>
    <message>
        <source>No days in this range.</source>
        <translation>Keine Tage in diesem Zeitraum.</translation>
    </message>
    <message>
        <source>Revenue</source>
        <translation>Umsatz</translation>
    </message>
    <message>
        <source>Sales</source>
        <translation>Verkäufe</translation>
    </message>
</context>
<context>
    <name>Screen</name>
    <message>
        <source>Checkout</source>
        <translation>Kasse</translation>
    </message>
    <message>
        <source>Receipts</source>
        <translation>Belege</translation>
    </message>
    <message>
        <source>Refunds</source>
        <translation>Erstattungen</translation>
    </message>
    <message>
        <source>Shift</source>
        <translation>Schicht</translation>
    </message>
    <message>
        <source>Catalog</source>
        <translation>Sortiment</translation>
    </message>
    <message>
        <source>Inventory</source>
        <translation>Bestand</translation>
    </message>
    <message>
        <source>Promotions</source>
        <translation>Aktionen</translation>
    </message>
    <message>
        <source>Analytics</source>
        <translation>Auswertung</translation>
    </message>
    <message>
        <source>Users</source>
        <translation>Konten</translation>
    </message>
    <message>
        <source>Audit</source>
        <translation>Protokoll</translation>
    </message>
</context>
<context>
    <name>ServiceMessage</name>
    <message>
        <source>&apos;{0}&apos; has a port that is not a number from 1 to 65535.</source>
        <translation>„{0}“ hat einen Port, der keine Zahl von 1 bis 65535 ist.</translation>
    </message>
    <message>
        <source>&apos;{0}&apos; is not a known locale (use a name such as &apos;de_DE&apos;).</source>
        <translation>„{0}“ ist kein bekanntes Gebietsschema (nehmen Sie einen Namen wie „de_DE“).</translation>
    </message>
    <message>
        <source>&apos;{0}&apos; is not a printer address ({1}).</source>
        <translation>„{0}“ ist keine Druckeradresse ({1}).</translation>
    </message>
    <message>
        <source>&apos;{0}&apos; is not a serial port (use serial:///dev/ttyUSB1).</source>
        <translation>„{0}“ ist keine serielle Schnittstelle (nehmen Sie serial:///dev/ttyUSB1).</translation>
    </message>
    <message>
        <source>&apos;{0}&apos; names no device (write three slashes: {1}:///dev/…).</source>
        <translation>„{0}“ nennt kein Gerät (schreiben Sie drei Schrägstriche: {1}:///dev/…).</translation>
    </message>
    <message>
        <source>&apos;{0}&apos; names no host (write tcp://192.168.1.50:9100).</source>
        <translation>„{0}“ nennt keinen Rechner (schreiben Sie tcp://192.168.1.50:9100).</translation>
    </message>
    <message>
        <source>&apos;{0}&apos; needs the vendor and product ids in hex (usb://0x04b8:0x0202; lsusb shows them).</source>
        <translation>„{0}“ braucht Hersteller- und Produktkennung hexadezimal (usb://0x04b8:0x0202; lsusb zeigt sie).</translation>
    </message>
    <message>
        <source>&apos;{0}&apos;: USB ids are four hex digits each.</source>
        <translation>„{0}“: USB-Kennungen haben je vier Hex-Ziffern.</translation>
    </message>
    <message>
        <source>&apos;{0}&apos;: the baud rate must be one of {1}.</source>
        <translation>„{0}“: die Baudrate muss eine von {1} sein.</translation>
    </message>
    <message>
        <source>A bundle names products, not categories.</source>
        <translation>Ein Bündel nennt Produkte, keine Kategorien.</translation>
    </message>
    <message>
        <source>A bundle needs at least two products.</source>
        <translation>Ein Bündel braucht mindestens zwei Produkte.</translation>
    </message>
    <message>
        <source>A card is charged the exact amount.</source>
        <translation>Eine Karte wird mit dem genauen Betrag belastet.</translation>
    </message>
    <message>
        <source>A card payment cannot be more than the {0} owed.</source>
        <translation>Eine Kartenzahlung darf nicht höher sein als die geschuldeten {0}.</translation>
    </message>
    <message>
        <source>A cart can have at most {0} lines.</source>
        <translation>Ein Warenkorb hat höchstens {0} Positionen.</translation>
    </message>
    <message>
        <source>A cart line names no valid product.</source>
        <translation>Eine Position im Warenkorb nennt kein gültiges Produkt.</translation>
    </message>
    <message>
        <source>A category with the slug &apos;{0}&apos; already exists.</source>
        <translation>Eine Kategorie mit dem Kürzel „{0}“ gibt es bereits.</translation>
    </message>
    <message>
        <source>A cell must be text.</source>
        <translation>Eine Zelle muss Text sein.</translation>
    </message>
    <message>
        <source>A chosen line is not on receipt {0}.</source>
        <translation>Eine gewählte Position steht nicht auf Beleg {0}.</translation>
    </message>
    <message>
        <source>A discount needs a kind, a value and a reason.</source>
        <translation>Ein Rabatt braucht eine Art, einen Wert und einen Grund.</translation>
    </message>
    <message>
        <source>A discount of {0} needs {1} to approve it.</source>
        <translation>Ein Rabatt von {0} muss von {1} freigegeben werden.</translation>
    </message>
    <message>
        <source>A manager or the owner must approve a changed price.</source>
        <translation>Ein geänderter Preis muss von einer Filialleitung oder der Inhaberin freigegeben werden.</translation>
    </message>
    <message>
        <source>A manager or the owner must approve a stock count.</source>
        <translation>Eine Inventur muss von einer Filialleitung oder der Inhaberin freigegeben werden.</translation>
    </message>
    <message>
        <source>A multi-buy groups from 2 to {0} units.</source>
        <translation>Ein Mengenangebot fasst 2 bis {0} Stück zusammen.</translation>
    </message>
    <message>
        <source>A payment must be more than zero.</source>
        <translation>Eine Zahlung muss größer als null sein.</translation>
    </message>
    <message>
        <source>A percentage must be above 0 % and at most 100 %.</source>
        <translation>Ein Prozentsatz muss über 0 % und höchstens 100 % sein.</translation>
    </message>
    <message>
        <source>A promotion can name at most {0} products and categories.</source>
        <translation>Eine Aktion nennt höchstens {0} Produkte und Kategorien.</translation>
    </message>
    <message>
        <source>A refund can have at most {0} lines.</source>
        <translation>Eine Erstattung hat höchstens {0} Positionen.</translation>
    </message>
    <message>
        <source>A report covers at most {0} years; choose a shorter range.</source>
        <translation>Ein Bericht umfasst höchstens {0} Jahre; wählen Sie einen kürzeren Zeitraum.</translation>
    </message>
    <message>
        <source>A sale can have at most {0} lines.</source>
        <translation>Ein Verkauf hat höchstens {0} Positionen.</translation>
    </message>
    <message>
        <source>A scale label&apos;s price is not valid.</source>
        <translation>Der Preis auf dem Waagenetikett ist ungültig.</translation>
    </message>
    <message>
        <source>A slug needs at least one letter or digit.</source>
        <translation>Ein Kürzel braucht mindestens einen Buchstaben oder eine Ziffer.</translation>
    </message>
    <message>
        <source>A user with this e-mail address already exists.</source>
        <translation>Es gibt bereits ein Konto mit dieser E-Mail-Adresse.</translation>
    </message>
    <message>
        <source>A weight can be at most {0} kg.</source>
        <translation>Ein Gewicht darf höchstens {0} kg betragen.</translation>
    </message>
    <message>
        <source>An EAN-13 code starts with exactly 12 digits.</source>
        <translation>Ein EAN-13-Code beginnt mit genau 12 Ziffern.</translation>
    </message>
    <message>
        <source>Another manager or the owner must approve the count.</source>
        <translation>Eine andere Filialleitung oder die Inhaberin muss die Zählung freigeben.</translation>
    </message>
    <message>
        <source>Another product already has the SKU &apos;{0}&apos;.</source>
        <translation>Ein anderes Produkt hat bereits die Artikelnummer „{0}“.</translation>
    </message>
    <message>
        <source>Another product already has the barcode {0}.</source>
        <translation>Ein anderes Produkt hat bereits den Barcode {0}.</translation>
    </message>
    <message>
        <source>Another product already has the scale code {0}.</source>
        <translation>Ein anderer Artikel hat bereits den Waagencode {0}.</translation>
    </message>
    <message>
        <source>At most {0} {1} at once.</source>
        <translation>Höchstens {0} {1} auf einmal.</translation>
    </message>
    <message>
        <source>Cannot open the old database: {0}</source>
        <translation>Die alte Datenbank lässt sich nicht öffnen: {0}</translation>
    </message>
    <message>
        <source>Cannot read the old database: {0}</source>
        <translation>Die alte Datenbank lässt sich nicht lesen: {0}</translation>
    </message>
    <message>
        <source>Cannot read {0}: {1}.</source>
        <translation>{0} lässt sich nicht lesen: {1}.</translation>
    </message>
    <message>
        <source>Cannot remove {0} of {1}: only {2} in stock.</source>
        <translation>{0} × {1} lässt sich nicht abbuchen: nur {2} auf Lager.</translation>
    </message>
    <message>
        <source>Cannot sort by {0}; choose one of: {1}.</source>
        <translation>Nach {0} kann nicht sortiert werden; wählen Sie eines von: {1}.</translation>
    </message>
    <message>
        <source>Cannot write {0}: {1}.</source>
        <translation>{0} lässt sich nicht schreiben: {1}.</translation>
    </message>
    <message>
        <source>Choose a backup file other than the database itself.</source>
        <translation>Wählen Sie eine andere Sicherungsdatei als die Datenbank selbst.</translation>
    </message>
    <message>
        <source>Choose a calendar date.</source>
        <translation>Wählen Sie ein Kalenderdatum.</translation>
    </message>
    <message>
        <source>Choose a calendar {0}.</source>
        <translation>Wählen Sie ein Kalenderdatum ({0}).</translation>
    </message>
    <message>
        <source>Choose a date.</source>
        <translation>Wählen Sie ein Datum.</translation>
    </message>
    <message>
        <source>Choose a file to write to.</source>
        <translation>Wählen Sie eine Datei zum Schreiben.</translation>
    </message>
    <message>
        <source>Choose a file with a shorter name.</source>
        <translation>Wählen Sie eine Datei mit kürzerem Namen.</translation>
    </message>
    <message>
        <source>Choose a file.</source>
        <translation>Wählen Sie eine Datei.</translation>
    </message>
    <message>
        <source>Choose a locale such as de_DE.</source>
        <translation>Wählen Sie ein Gebietsschema wie de_DE.</translation>
    </message>
    <message>
        <source>Choose a percentage or an amount.</source>
        <translation>Wählen Sie einen Prozentsatz oder einen Betrag.</translation>
    </message>
    <message>
        <source>Choose a price cut, a multi-buy or a bundle.</source>
        <translation>Wählen Sie eine Preissenkung, ein Mengenangebot oder ein Bündel.</translation>
    </message>
    <message>
        <source>Choose a start and an end date.</source>
        <translation>Wählen Sie ein Anfangs- und ein Enddatum.</translation>
    </message>
    <message>
        <source>Choose a three-letter currency code such as EUR.</source>
        <translation>Wählen Sie einen dreibuchstabigen Währungscode wie EUR.</translation>
    </message>
    <message>
        <source>Choose a valid {0}.</source>
        <translation>Wählen Sie eine gültige Angabe für {0}.</translation>
    </message>
    <message>
        <source>Choose at least one label to print.</source>
        <translation>Wählen Sie mindestens ein Etikett zum Drucken.</translation>
    </message>
    <message>
        <source>Choose at least one line to refund.</source>
        <translation>Wählen Sie mindestens eine Position zum Erstatten.</translation>
    </message>
    <message>
        <source>Choose at least one product or category for the promotion.</source>
        <translation>Wählen Sie mindestens ein Produkt oder eine Kategorie für die Aktion.</translation>
    </message>
    <message>
        <source>Choose one of the listed actions.</source>
        <translation>Wählen Sie eine der aufgeführten Aktionen.</translation>
    </message>
    <message>
        <source>Choose or type the reason for the refund.</source>
        <translation>Wählen oder tippen Sie den Grund der Erstattung ein.</translation>
    </message>
    <message>
        <source>Choose products or categories from the list.</source>
        <translation>Wählen Sie Produkte oder Kategorien aus der Liste.</translation>
    </message>
    <message>
        <source>Choose the first day of the promotion.</source>
        <translation>Wählen Sie den ersten Tag der Aktion.</translation>
    </message>
    <message>
        <source>Choose the last day of the promotion.</source>
        <translation>Wählen Sie den letzten Tag der Aktion.</translation>
    </message>
    <message>
        <source>Choose the lines to refund.</source>
        <translation>Wählen Sie die Positionen, die erstattet werden.</translation>
    </message>
    <message>
        <source>Choose the products to search among.</source>
        <translation>Wählen Sie die Produkte, unter denen gesucht wird.</translation>
    </message>
    <message>
        <source>Choose whether the product is sold per piece or by weight.</source>
        <translation>Wählen Sie, ob der Artikel pro Stück oder nach Gewicht verkauft wird.</translation>
    </message>
    <message>
        <source>Choose whether to break each period down.</source>
        <translation>Wählen Sie, ob jeder Zeitraum aufgeschlüsselt werden soll.</translation>
    </message>
    <message>
        <source>Choose whether to list the sale lines.</source>
        <translation>Wählen Sie, ob die Verkaufspositionen aufgelistet werden.</translation>
    </message>
    <message>
        <source>Choose whether to sell only what is in stock.</source>
        <translation>Wählen Sie, ob nur Vorrätiges verkauft wird.</translation>
    </message>
    <message>
        <source>Choose which page of the list to show.</source>
        <translation>Wählen Sie, welche Seite der Liste angezeigt werden soll.</translation>
    </message>
    <message>
        <source>Choose yes or no.</source>
        <translation>Wählen Sie Ja oder Nein.</translation>
    </message>
    <message>
        <source>Each cart line needs a product and a quantity.</source>
        <translation>Jede Position im Warenkorb braucht ein Produkt und eine Menge.</translation>
    </message>
    <message>
        <source>Each payment needs a tender and an amount.</source>
        <translation>Jede Zahlung braucht eine Zahlungsart und einen Betrag.</translation>
    </message>
    <message>
        <source>Each refund line needs a line and a quantity.</source>
        <translation>Jede Erstattungsposition braucht eine Position und eine Menge.</translation>
    </message>
    <message>
        <source>Enter a change other than zero.</source>
        <translation>Geben Sie eine Änderung ungleich null ein.</translation>
    </message>
    <message>
        <source>Enter a percentage such as 10 or 12.5.</source>
        <translation>Geben Sie einen Prozentsatz wie 10 oder 12,5 ein.</translation>
    </message>
    <message>
        <source>Enter a price from 0.00 up.</source>
        <translation>Geben Sie einen Preis ab 0,00 ein.</translation>
    </message>
    <message>
        <source>Enter a receipt number such as R00000042.</source>
        <translation>Geben Sie eine Belegnummer wie R00000042 ein.</translation>
    </message>
    <message>
        <source>Enter a refund number such as F00000012.</source>
        <translation>Geben Sie eine Erstattungsnummer wie F00000012 ein.</translation>
    </message>
    <message>
        <source>Enter a tax rate such as 19 or 7.5.</source>
        <translation>Geben Sie einen Steuersatz wie 19 oder 7,5 ein.</translation>
    </message>
    <message>
        <source>Enter a valid EAN-13 (13 digits) or UPC-A (12 digits) barcode.</source>
        <translation>Geben Sie einen gültigen EAN-13- (13 Ziffern) oder UPC-A-Barcode (12 Ziffern) ein.</translation>
    </message>
    <message>
        <source>Enter a valid e-mail address.</source>
        <translation>Geben Sie eine gültige E-Mail-Adresse ein.</translation>
    </message>
    <message>
        <source>Enter a weight such as 0.455 (kg) or 455 g.</source>
        <translation>Geben Sie ein Gewicht wie 0,455 (kg) oder 455 g ein.</translation>
    </message>
    <message>
        <source>Enter a {0}.</source>
        <translation>Geben Sie eine Angabe für {0} ein.</translation>
    </message>
    <message>
        <source>Enter an SKU of 1 to {0} letters, digits or symbols (plain ASCII, no spaces).</source>
        <translation>Geben Sie eine Artikelnummer aus 1 bis {0} Buchstaben, Ziffern oder Zeichen ein (nur ASCII, keine Leerzeichen).</translation>
    </message>
    <message>
        <source>Enter an amount above 0.00.</source>
        <translation>Geben Sie einen Betrag über 0,00 ein.</translation>
    </message>
    <message>
        <source>Enter an amount such as {0}.</source>
        <translation>Geben Sie einen Betrag wie {0} ein.</translation>
    </message>
    <message>
        <source>Enter an e-mail address.</source>
        <translation>Geben Sie eine E-Mail-Adresse ein.</translation>
    </message>
    <message>
        <source>Enter either a percentage or an amount off.</source>
        <translation>Geben Sie entweder einen Prozentsatz oder einen Nachlass ein.</translation>
    </message>
    <message>
        <source>Enter either how many units are paid for or the price of the group.</source>
        <translation>Geben Sie entweder an, wie viele Stück bezahlt werden, oder den Preis der Gruppe.</translation>
    </message>
    <message>
        <source>Enter the old database&apos;s file or URL.</source>
        <translation>Geben Sie die Datei oder URL der alten Datenbank ein.</translation>
    </message>
    <message>
        <source>Enter the price of the bundle.</source>
        <translation>Geben Sie den Preis des Bündels ein.</translation>
    </message>
    <message>
        <source>Enter the price of the group.</source>
        <translation>Geben Sie den Preis der Gruppe ein.</translation>
    </message>
    <message>
        <source>Enter the scale code as a number from 1 to {0}.</source>
        <translation>Geben Sie den Waagencode als Zahl von 1 bis {0} ein.</translation>
    </message>
    <message>
        <source>Enter the stock as a whole number from 0 to {0}.</source>
        <translation>Geben Sie den Bestand als ganze Zahl von 0 bis {0} ein.</translation>
    </message>
    <message>
        <source>Export cancelled; the file was not written.</source>
        <translation>Export abgebrochen; die Datei wurde nicht geschrieben.</translation>
    </message>
    <message>
        <source>Fill in the promotion form.</source>
        <translation>Füllen Sie das Aktionsformular aus.</translation>
    </message>
    <message>
        <source>Filter on at most {0} {1}s.</source>
        <translation>Filtern Sie nach höchstens {0} Einträgen ({1}).</translation>
    </message>
    <message>
        <source>Give the time with its time zone.</source>
        <translation>Geben Sie die Zeit mit ihrer Zeitzone an.</translation>
    </message>
    <message>
        <source>Group the report by one of: {0}.</source>
        <translation>Gruppieren Sie den Bericht nach einem von: {0}.</translation>
    </message>
    <message>
        <source>Import cancelled; nothing was changed.</source>
        <translation>Import abgebrochen; nichts wurde geändert.</translation>
    </message>
    <message>
        <source>Line discounts map products to discounts.</source>
        <translation>Positionsrabatte ordnen Produkten Rabatte zu.</translation>
    </message>
    <message>
        <source>Log in as a manager or owner to create accounts.</source>
        <translation>Melden Sie sich als Filialleitung oder Inhaberin an, um Konten anzulegen.</translation>
    </message>
    <message>
        <source>More than {0} sale lines in this range; choose a shorter range or turn off the line list.</source>
        <translation>Mehr als {0} Verkaufspositionen in diesem Zeitraum; wählen Sie einen kürzeren Zeitraum oder schalten Sie die Positionsliste aus.</translation>
    </message>
    <message>
        <source>No product has the barcode or SKU &apos;{0}&apos;.</source>
        <translation>Kein Produkt hat den Barcode oder die Artikelnummer „{0}“.</translation>
    </message>
    <message>
        <source>No product has the scale code {0} (label {1}).</source>
        <translation>Kein Artikel hat den Waagencode {0} (Etikett {1}).</translation>
    </message>
    <message>
        <source>No shift is open on this till.</source>
        <translation>An dieser Kasse ist keine Schicht geöffnet.</translation>
    </message>
    <message>
        <source>No shift is open on this till; open one before a no sale.</source>
        <translation>An dieser Kasse ist keine Schicht geöffnet; öffnen Sie eine vor einer Ladenöffnung ohne Verkauf.</translation>
    </message>
    <message>
        <source>No such category.</source>
        <translation>Diese Kategorie gibt es nicht.</translation>
    </message>
    <message>
        <source>No such held sale.</source>
        <translation>Diesen geparkten Verkauf gibt es nicht.</translation>
    </message>
    <message>
        <source>No such product.</source>
        <translation>Dieses Produkt gibt es nicht.</translation>
    </message>
    <message>
        <source>No such promotion.</source>
        <translation>Diese Aktion gibt es nicht.</translation>
    </message>
    <message>
        <source>No such sale.</source>
        <translation>Diesen Verkauf gibt es nicht.</translation>
    </message>
    <message>
        <source>No such shift.</source>
        <translation>Diese Schicht gibt es nicht.</translation>
    </message>
    <message>
        <source>No such user.</source>
        <translation>Dieses Konto gibt es nicht.</translation>
    </message>
    <message>
        <source>Only a SQLite database file can be backed up here.</source>
        <translation>Hier lässt sich nur eine SQLite-Datenbankdatei sichern.</translation>
    </message>
    <message>
        <source>Only a manager or the owner can approve a changed price.</source>
        <translation>Nur eine Filialleitung oder die Inhaberin kann einen geänderten Preis freigeben.</translation>
    </message>
    <message>
        <source>Only a manager or the owner can approve this.</source>
        <translation>Nur eine Filialleitung oder die Inhaberin kann das freigeben.</translation>
    </message>
    <message>
        <source>Only a manager or the owner can approve; {0}.</source>
        <translation>Nur eine Filialleitung oder die Inhaberin kann freigeben; {0}.</translation>
    </message>
    <message>
        <source>Only a product sold by weight has a scale code; clear it or sell by weight.</source>
        <translation>Nur ein Artikel, der nach Gewicht verkauft wird, hat einen Waagencode; löschen Sie ihn oder verkaufen Sie nach Gewicht.</translation>
    </message>
    <message>
        <source>Only a weighed line has a scale label&apos;s price.</source>
        <translation>Nur eine gewogene Position hat den Preis eines Waagenetiketts.</translation>
    </message>
    <message>
        <source>Only managers and owners can {0}.</source>
        <translation>Nur Filialleitungen und Inhaber dürfen: {0}.</translation>
    </message>
    <message>
        <source>Only {0} can approve a discount of {1}.</source>
        <translation>Nur {0} kann einen Rabatt von {1} freigeben.</translation>
    </message>
    <message>
        <source>Only {0} can go back to the card; refund the rest in cash.</source>
        <translation>Nur {0} können auf die Karte zurück; erstatten Sie den Rest bar.</translation>
    </message>
    <message>
        <source>Only {0} can {1}.</source>
        <translation>Nur {0} dürfen: {1}.</translation>
    </message>
    <message>
        <source>Only {0} of {1} can still be returned; {2} asked.</source>
        <translation>Nur noch {0} von {1} können zurückgegeben werden; verlangt: {2}.</translation>
    </message>
    <message>
        <source>Open a shift on this till before refunding.</source>
        <translation>Öffnen Sie an dieser Kasse eine Schicht, bevor Sie erstatten.</translation>
    </message>
    <message>
        <source>Open a shift on this till before selling.</source>
        <translation>Öffnen Sie an dieser Kasse eine Schicht, bevor Sie verkaufen.</translation>
    </message>
    <message>
        <source>POS_CURRENCY: &apos;{0}&apos; is not a three-letter currency code.</source>
        <translation>POS_CURRENCY: „{0}“ ist kein dreistelliger Währungscode.</translation>
    </message>
    <message>
        <source>POS_DATABASE_URL: &apos;{0}&apos; is not a database URL (expected e.g. &apos;sqlite:///path/to/till.sqlite3&apos; or &apos;mysql+pymysql://user:pass@host/db&apos;).</source>
        <translation>POS_DATABASE_URL: „{0}“ ist keine Datenbank-URL (erwartet z. B. „sqlite:///pfad/zu/till.sqlite3“ oder „mysql+pymysql://user:pass@host/db“).</translation>
    </message>
    <message>
        <source>POS_DATABASE_URL: the &apos;{0}&apos; database is not supported; use SQLite or MySQL/MariaDB.</source>
        <translation>POS_DATABASE_URL: die Datenbank „{0}“ wird nicht unterstützt; nehmen Sie SQLite oder MySQL/MariaDB.</translation>
    </message>
    <message>
        <source>POS_DATABASE_URL: the URL names no database (add &apos;/dbname&apos;).</source>
        <translation>POS_DATABASE_URL: die URL nennt keine Datenbank (ergänzen Sie „/dbname“).</translation>
    </message>
    <message>
        <source>POS_DATA_DIR: cannot create &apos;{0}&apos; ({1}).</source>
        <translation>POS_DATA_DIR: „{0}“ lässt sich nicht anlegen ({1}).</translation>
    </message>
    <message>
        <source>POS_DATA_DIR: cannot keep the session secret in &apos;{0}&apos; ({1}).</source>
        <translation>POS_DATA_DIR: das Sitzungsgeheimnis lässt sich nicht in „{0}“ ablegen ({1}).</translation>
    </message>
    <message>
        <source>POS_DEFAULT_TAX_BP: basis points, at most 10000 (100 %).</source>
        <translation>POS_DEFAULT_TAX_BP: Basispunkte, höchstens 10000 (100 %).</translation>
    </message>
    <message>
        <source>POS_FONT_SIZE: points from {0} to {1} (the default is {2}).</source>
        <translation>POS_FONT_SIZE: Punkte von {0} bis {1} (Vorgabe: {2}).</translation>
    </message>
    <message>
        <source>POS_LOCALE: {0}</source>
        <translation>POS_LOCALE: {0}</translation>
    </message>
    <message>
        <source>POS_POLE_DISPLAY: {0}</source>
        <translation>POS_POLE_DISPLAY: {0}</translation>
    </message>
    <message>
        <source>POS_PRINTER_COLUMNS: use 42 or 48 for an 80 mm roll, 32 for a 58 mm roll.</source>
        <translation>POS_PRINTER_COLUMNS: 42 oder 48 für eine 80-mm-Rolle, 32 für eine 58-mm-Rolle.</translation>
    </message>
    <message>
        <source>POS_RECEIPT_PRINTER: {0}</source>
        <translation>POS_RECEIPT_PRINTER: {0}</translation>
    </message>
    <message>
        <source>POS_SCALE_LABEL_LAYOUT: {0}</source>
        <translation>POS_SCALE_LABEL_LAYOUT: {0}</translation>
    </message>
    <message>
        <source>POS_TIMEZONE: &apos;{0}&apos; is not a known time zone (use an IANA name such as &apos;Europe/Berlin&apos;).</source>
        <translation>POS_TIMEZONE: „{0}“ ist keine bekannte Zeitzone (nehmen Sie einen IANA-Namen wie „Europe/Berlin“).</translation>
    </message>
    <message>
        <source>Pay by cash or card.</source>
        <translation>Zahlen Sie bar oder mit Karte.</translation>
    </message>
    <message>
        <source>Price overrides map products to prices.</source>
        <translation>Preisänderungen ordnen Produkten Preise zu.</translation>
    </message>
    <message>
        <source>Print at most {0} labels at once.</source>
        <translation>Drucken Sie höchstens {0} Etiketten auf einmal.</translation>
    </message>
    <message>
        <source>Print between 0 and {0} labels of a product.</source>
        <translation>Drucken Sie 0 bis {0} Etiketten je Produkt.</translation>
    </message>
    <message>
        <source>Product {0} does not exist.</source>
        <translation>Produkt {0} gibt es nicht.</translation>
    </message>
    <message>
        <source>Product {0} has a discount but is not in the cart.</source>
        <translation>Produkt {0} hat einen Rabatt, liegt aber nicht im Warenkorb.</translation>
    </message>
    <message>
        <source>Product {0} has a price override but is not in the cart.</source>
        <translation>Produkt {0} hat einen geänderten Preis, liegt aber nicht im Warenkorb.</translation>
    </message>
    <message>
        <source>Product {0} has a {1} but is not in the cart.</source>
        <translation>Produkt {0} hat {1}, liegt aber nicht im Warenkorb.</translation>
    </message>
    <message>
        <source>Product {0} has no price.</source>
        <translation>Produkt {0} hat keinen Preis.</translation>
    </message>
    <message>
        <source>Product {0} is not sold by weight; a scale label cannot price it.</source>
        <translation>Artikel {0} wird nicht nach Gewicht verkauft; ein Waagenetikett kann ihn nicht auspreisen.</translation>
    </message>
    <message>
        <source>Rank products by units or by revenue.</source>
        <translation>Ordnen Sie Produkte nach Stückzahl oder Umsatz.</translation>
    </message>
    <message>
        <source>Receipt printer ready.</source>
        <translation>Bondrucker bereit.</translation>
    </message>
    <message>
        <source>Refund in cash or to the card.</source>
        <translation>Erstatten Sie bar oder auf die Karte.</translation>
    </message>
    <message>
        <source>Refunds over {0} need a manager&apos;s approval.</source>
        <translation>Erstattungen über {0} brauchen die Freigabe einer Filialleitung.</translation>
    </message>
    <message>
        <source>Say why the drawer is opened (change for a note, say).</source>
        <translation>Sagen Sie, warum die Lade geöffnet wird (etwa zum Wechseln eines Scheins).</translation>
    </message>
    <message>
        <source>Search among {0} products at most.</source>
        <translation>Suchen Sie unter höchstens {0} Produkten.</translation>
    </message>
    <message>
        <source>Several products match &apos;{0}&apos;: pick one from the list (arrow keys, then Enter).</source>
        <translation>Mehrere Produkte passen zu „{0}“: wählen Sie eines aus der Liste (Pfeiltasten, dann Eingabe).</translation>
    </message>
    <message>
        <source>Show between 1 and {0} products.</source>
        <translation>Zeigen Sie 1 bis {0} Produkte.</translation>
    </message>
    <message>
        <source>Show between 1 and {0} receipts.</source>
        <translation>Zeigen Sie 1 bis {0} Belege.</translation>
    </message>
    <message>
        <source>Show between 1 and {0} sales.</source>
        <translation>Zeigen Sie 1 bis {0} Verkäufe.</translation>
    </message>
    <message>
        <source>Some chosen {0} no longer exist (id {1}); choose again.</source>
        <translation>Einige gewählte Einträge ({0}) gibt es nicht mehr (Nr. {1}); wählen Sie neu.</translation>
    </message>
    <message>
        <source>Take a payment for this sale.</source>
        <translation>Nehmen Sie eine Zahlung für diesen Verkauf an.</translation>
    </message>
    <message>
        <source>That is not a database file or URL.</source>
        <translation>Das ist keine Datenbankdatei und keine URL.</translation>
    </message>
    <message>
        <source>That product is not in the cart.</source>
        <translation>Dieses Produkt liegt nicht im Warenkorb.</translation>
    </message>
    <message>
        <source>That {0} is already in use.</source>
        <translation>Diese Angabe ({0}) ist schon vergeben.</translation>
    </message>
    <message>
        <source>The amount cannot be negative.</source>
        <translation>Der Betrag darf nicht negativ sein.</translation>
    </message>
    <message>
        <source>The amount is too large.</source>
        <translation>Der Betrag ist zu groß.</translation>
    </message>
    <message>
        <source>The amount off must be above 0.00.</source>
        <translation>Der Nachlass muss über 0,00 liegen.</translation>
    </message>
    <message>
        <source>The approval has expired or is not valid; ask the manager to approve again.</source>
        <translation>Die Freigabe ist abgelaufen oder ungültig; bitten Sie die Filialleitung, erneut freizugeben.</translation>
    </message>
    <message>
        <source>The approving account has been deactivated; a manager or the owner must approve a changed price.</source>
        <translation>Das freigebende Konto wurde deaktiviert; eine Filialleitung oder die Inhaberin muss den geänderten Preis freigeben.</translation>
    </message>
    <message>
        <source>The approving account has been deactivated; {0} must approve the discount.</source>
        <translation>Das freigebende Konto wurde deaktiviert; {0} muss den Rabatt freigeben.</translation>
    </message>
    <message>
        <source>The approving account has been deactivated; {0}.</source>
        <translation>Das freigebende Konto wurde deaktiviert; {0}.</translation>
    </message>
    <message>
        <source>The backup is the database itself.</source>
        <translation>Die Sicherung ist die Datenbank selbst.</translation>
    </message>
    <message>
        <source>The cart is empty; add a product first.</source>
        <translation>Der Warenkorb ist leer; fügen Sie zuerst ein Produkt hinzu.</translation>
    </message>
    <message>
        <source>The cart is empty; there is nothing to hold.</source>
        <translation>Der Warenkorb ist leer; es gibt nichts zu parken.</translation>
    </message>
    <message>
        <source>The cart is empty; there is nothing to void.</source>
        <translation>Der Warenkorb ist leer; es gibt nichts zu stornieren.</translation>
    </message>
    <message>
        <source>The cart must be a list of lines.</source>
        <translation>Der Warenkorb muss eine Liste von Positionen sein.</translation>
    </message>
    <message>
        <source>The connection to the database was lost while saving and the till cannot tell whether it was saved. Please try again once it is connected: it will not be recorded twice.</source>
        <translation>Die Verbindung zur Datenbank brach beim Speichern ab und die Kasse weiß nicht, ob gespeichert wurde. Bitte versuchen Sie es erneut, sobald die Verbindung steht: es wird nicht doppelt gebucht.</translation>
    </message>
    <message>
        <source>The connection to the database was lost; nothing was saved. Please try again.</source>
        <translation>Die Verbindung zur Datenbank ist abgebrochen; nichts wurde gespeichert. Bitte versuchen Sie es noch einmal.</translation>
    </message>
    <message>
        <source>The connection to the receipt printer ({0}) broke off.</source>
        <translation>Die Verbindung zum Bondrucker ({0}) ist abgebrochen.</translation>
    </message>
    <message>
        <source>The copy failed SQLite&apos;s integrity check: {0}.</source>
        <translation>Die Kopie hat die Integritätsprüfung von SQLite nicht bestanden: {0}.</translation>
    </message>
    <message>
        <source>The copy is damaged ({0}).</source>
        <translation>Die Kopie ist beschädigt ({0}).</translation>
    </message>
    <message>
        <source>The copy was made with schema revision {0}, this version of Till needs {1}; it cannot be restored here.</source>
        <translation>Die Kopie hat den Schemastand {0}, diese Version von Till braucht {1}; sie lässt sich hier nicht wiederherstellen.</translation>
    </message>
    <message>
        <source>The current password is not correct.</source>
        <translation>Das aktuelle Passwort stimmt nicht.</translation>
    </message>
    <message>
        <source>The database URL is not valid.</source>
        <translation>Die Datenbank-URL ist ungültig.</translation>
    </message>
    <message>
        <source>The database already has sales; ask for sales only to add more.</source>
        <translation>Die Datenbank enthält bereits Verkäufe; fordern Sie nur Verkäufe an, um weitere hinzuzufügen.</translation>
    </message>
    <message>
        <source>The database is busy right now; nothing was saved. Please try again.</source>
        <translation>Die Datenbank ist gerade ausgelastet; nichts wurde gespeichert. Bitte versuchen Sie es noch einmal.</translation>
    </message>
    <message>
        <source>The database is in use; close every till on this computer and try again.</source>
        <translation>Die Datenbank ist in Benutzung; schließen Sie jede Kasse auf diesem Rechner und versuchen Sie es noch einmal.</translation>
    </message>
    <message>
        <source>The discount must be a whole number.</source>
        <translation>Der Rabatt muss eine ganze Zahl sein.</translation>
    </message>
    <message>
        <source>The drawer opens for a sale or a refund.</source>
        <translation>Die Lade öffnet sich für einen Verkauf oder eine Erstattung.</translation>
    </message>
    <message>
        <source>The e-mail or password is not correct.</source>
        <translation>E-Mail-Adresse oder Passwort stimmen nicht.</translation>
    </message>
    <message>
        <source>The first day must not be after the last day.</source>
        <translation>Der erste Tag darf nicht nach dem letzten liegen.</translation>
    </message>
    <message>
        <source>The folder {0} does not exist.</source>
        <translation>Den Ordner {0} gibt es nicht.</translation>
    </message>
    <message>
        <source>The held sale id is not valid.</source>
        <translation>Die Nummer des geparkten Verkaufs ist ungültig.</translation>
    </message>
    <message>
        <source>The label carries no price.</source>
        <translation>Das Etikett trägt keinen Preis.</translation>
    </message>
    <message>
        <source>The last day cannot be before the first day.</source>
        <translation>Der letzte Tag darf nicht vor dem ersten liegen.</translation>
    </message>
    <message>
        <source>The last day has already passed.</source>
        <translation>Der letzte Tag ist schon vorbei.</translation>
    </message>
    <message>
        <source>The limit of a cart line is not a valid quantity.</source>
        <translation>Die Obergrenze einer Warenkorbposition ist keine gültige Menge.</translation>
    </message>
    <message>
        <source>The name must be text.</source>
        <translation>Der Name muss Text sein.</translation>
    </message>
    <message>
        <source>The number of {0} must be between {1} and {2}.</source>
        <translation>Die Anzahl ({0}) muss zwischen {1} und {2} liegen.</translation>
    </message>
    <message>
        <source>The page offset must be between 0 and {0}.</source>
        <translation>Der Seitenversatz muss zwischen 0 und {0} liegen.</translation>
    </message>
    <message>
        <source>The page size must be between 1 and {0}.</source>
        <translation>Die Seitengröße muss zwischen 1 und {0} liegen.</translation>
    </message>
    <message>
        <source>The password is too long.</source>
        <translation>Das Passwort ist zu lang.</translation>
    </message>
    <message>
        <source>The password needs at least {0} characters.</source>
        <translation>Das Passwort braucht mindestens {0} Zeichen.</translation>
    </message>
    <message>
        <source>The payments add up to {0} but the sale is {1}.</source>
        <translation>Die Zahlungen ergeben {0}, der Verkauf beträgt aber {1}.</translation>
    </message>
    <message>
        <source>The payments must be a list.</source>
        <translation>Die Zahlungen müssen eine Liste sein.</translation>
    </message>
    <message>
        <source>The quantity must be a whole number from 1 to {0}.</source>
        <translation>Die Menge muss eine ganze Zahl von 1 bis {0} sein.</translation>
    </message>
    <message>
        <source>The quantity must be a whole number.</source>
        <translation>Die Menge muss eine ganze Zahl sein.</translation>
    </message>
    <message>
        <source>The quantity must be between 1 and {0}.</source>
        <translation>Die Menge muss zwischen 1 und {0} liegen.</translation>
    </message>
    <message>
        <source>The quantity must be from 1 to {0}.</source>
        <translation>Die Menge muss zwischen 1 und {0} liegen.</translation>
    </message>
    <message>
        <source>The reason for the refund contains characters that are not allowed.</source>
        <translation>Der Grund der Erstattung enthält unzulässige Zeichen.</translation>
    </message>
    <message>
        <source>The reason for the refund is too long ({0} characters at most).</source>
        <translation>Der Grund der Erstattung ist zu lang (höchstens {0} Zeichen).</translation>
    </message>
    <message>
        <source>The reason for the refund must be text.</source>
        <translation>Der Grund der Erstattung muss Text sein.</translation>
    </message>
    <message>
        <source>The receipt printer ({0}) does not answer; check its cable and power.</source>
        <translation>Der Bondrucker ({0}) antwortet nicht; prüfen Sie Kabel und Strom.</translation>
    </message>
    <message>
        <source>The receipt printer ({0}) stopped answering during the print.</source>
        <translation>Der Bondrucker ({0}) antwortete während des Drucks nicht mehr.</translation>
    </message>
    <message>
        <source>The receipt printer is out of paper; put in a new roll.</source>
        <translation>Der Bondrucker hat kein Papier; legen Sie eine neue Rolle ein.</translation>
    </message>
    <message>
        <source>The receipt printer reported an error.</source>
        <translation>Der Bondrucker meldete einen Fehler.</translation>
    </message>
    <message>
        <source>The refund id is not valid.</source>
        <translation>Die Erstattungsnummer ist ungültig.</translation>
    </message>
    <message>
        <source>The report query is malformed.</source>
        <translation>Die Berichtsabfrage ist fehlerhaft.</translation>
    </message>
    <message>
        <source>The role must be cashier, manager or owner.</source>
        <translation>Die Rolle muss Kasse, Filialleitung oder Inhaber sein.</translation>
    </message>
    <message>
        <source>The sale id is not valid.</source>
        <translation>Die Verkaufsnummer ist ungültig.</translation>
    </message>
    <message>
        <source>The scale label shows no weight; weigh it again.</source>
        <translation>Das Waagenetikett zeigt kein Gewicht; wiegen Sie die Ware erneut.</translation>
    </message>
    <message>
        <source>The scale label&apos;s check digit is wrong; scan it again or type the weight.</source>
        <translation>Die Prüfziffer des Waagenetiketts ist falsch; scannen Sie es erneut oder geben Sie das Gewicht ein.</translation>
    </message>
    <message>
        <source>The scale label&apos;s price check digit is wrong; scan it again or type the weight.</source>
        <translation>Die Preisprüfziffer des Waagenetiketts ist falsch; scannen Sie es erneut oder geben Sie das Gewicht ein.</translation>
    </message>
    <message>
        <source>The scale labels weigh more than the line.</source>
        <translation>Die Waagenetiketten wiegen mehr als die Position.</translation>
    </message>
    <message>
        <source>The shop is closed on every chosen day; choose more days.</source>
        <translation>Das Geschäft ist an jedem gewählten Tag geschlossen; wählen Sie mehr Tage.</translation>
    </message>
    <message>
        <source>The shop needs at least one active owner; make someone else owner first.</source>
        <translation>Das Geschäft braucht mindestens einen aktiven Inhaber; machen Sie zuerst jemand anderen zum Inhaber.</translation>
    </message>
    <message>
        <source>The start date must not be after the end date.</source>
        <translation>Das Anfangsdatum darf nicht nach dem Enddatum liegen.</translation>
    </message>
    <message>
        <source>The stock changed during the import; nothing was changed.</source>
        <translation>Der Bestand hat sich während des Imports geändert; nichts wurde geändert.</translation>
    </message>
    <message>
        <source>The stock changed while it was counted; count it again.</source>
        <translation>Der Bestand hat sich während der Zählung geändert; zählen Sie noch einmal.</translation>
    </message>
    <message>
        <source>The tax rate must be a whole number of basis points.</source>
        <translation>Der Steuersatz muss eine ganze Zahl von Basispunkten sein.</translation>
    </message>
    <message>
        <source>The tax rate must be between 0 % and 100 %.</source>
        <translation>Der Steuersatz muss zwischen 0 % und 100 % liegen.</translation>
    </message>
    <message>
        <source>The units paid for must be from 1 to {0}.</source>
        <translation>Die bezahlten Stück müssen zwischen 1 und {0} liegen.</translation>
    </message>
    <message>
        <source>The voided line is not in the cart.</source>
        <translation>Die stornierte Position ist nicht im Warenkorb.</translation>
    </message>
    <message>
        <source>The weight cannot be negative.</source>
        <translation>Das Gewicht darf nicht negativ sein.</translation>
    </message>
    <message>
        <source>The weight must be more than zero.</source>
        <translation>Das Gewicht muss größer als null sein.</translation>
    </message>
    <message>
        <source>The weight must be whole grams from 1 g to {0} kg.</source>
        <translation>Das Gewicht muss in ganzen Gramm zwischen 1 g und {0} kg liegen.</translation>
    </message>
    <message>
        <source>The {0} contains characters that are not allowed.</source>
        <translation>Die Angabe ({0}) enthält nicht erlaubte Zeichen.</translation>
    </message>
    <message>
        <source>The {0} filter holds an invalid id.</source>
        <translation>Der Filter ({0}) enthält eine ungültige Nummer.</translation>
    </message>
    <message>
        <source>The {0} filter must be a list of ids.</source>
        <translation>Der Filter ({0}) muss eine Liste von Nummern sein.</translation>
    </message>
    <message>
        <source>The {0} is out of range.</source>
        <translation>Die Angabe ({0}) liegt außerhalb des zulässigen Bereichs.</translation>
    </message>
    <message>
        <source>The {0} is too long ({1} characters at most).</source>
        <translation>Die Angabe ({0}) ist zu lang (höchstens {1} Zeichen).</translation>
    </message>
    <message>
        <source>The {0} must be a list.</source>
        <translation>{0} muss eine Liste sein.</translation>
    </message>
    <message>
        <source>The {0} must be a whole number of cents.</source>
        <translation>Die Angabe ({0}) muss eine ganze Zahl kleinster Währungseinheiten sein.</translation>
    </message>
    <message>
        <source>The {0} must be a whole number.</source>
        <translation>Die Angabe ({0}) muss eine ganze Zahl sein.</translation>
    </message>
    <message>
        <source>The {0} must be between {1} and {2}.</source>
        <translation>Die Angabe ({0}) muss zwischen {1} und {2} liegen.</translation>
    </message>
    <message>
        <source>The {0} must be text.</source>
        <translation>Die Angabe ({0}) muss ein Text sein.</translation>
    </message>
    <message>
        <source>There are no active products to sell; add products first.</source>
        <translation>Es gibt keine aktiven Produkte zum Verkaufen; legen Sie zuerst Produkte an.</translation>
    </message>
    <message>
        <source>There are no active users to record sales under; add a user first.</source>
        <translation>Es gibt keine aktiven Konten für Verkäufe; legen Sie zuerst ein Konto an.</translation>
    </message>
    <message>
        <source>There is no active owner account; create one with &apos;pos-app create-user&apos;.</source>
        <translation>Es gibt kein aktives Inhaberkonto; legen Sie eines mit „pos-app create-user“ an.</translation>
    </message>
    <message>
        <source>There is no backup file at {0}.</source>
        <translation>Unter {0} gibt es keine Sicherungsdatei.</translation>
    </message>
    <message>
        <source>There is no database file at {0}.</source>
        <translation>Unter {0} gibt es keine Datenbankdatei.</translation>
    </message>
    <message>
        <source>There is no receipt {0}.</source>
        <translation>Einen Beleg {0} gibt es nicht.</translation>
    </message>
    <message>
        <source>There is no refund slip {0}.</source>
        <translation>Einen Erstattungsbeleg {0} gibt es nicht.</translation>
    </message>
    <message>
        <source>This account has been deactivated.</source>
        <translation>Dieses Konto wurde deaktiviert.</translation>
    </message>
    <message>
        <source>This currency has no decimals: enter a whole amount.</source>
        <translation>Diese Währung hat keine Nachkommastellen: geben Sie einen ganzen Betrag ein.</translation>
    </message>
    <message>
        <source>This held sale was already recalled.</source>
        <translation>Dieser geparkte Verkauf wurde bereits zurückgeholt.</translation>
    </message>
    <message>
        <source>This installation of Till is incomplete: its database migrations are missing ({0}); reinstall Till.</source>
        <translation>Diese Installation von Till ist unvollständig: die Datenbankmigrationen fehlen ({0}); installieren Sie Till neu.</translation>
    </message>
    <message>
        <source>This is not a CSV file in UTF-8; save it as CSV UTF-8.</source>
        <translation>Das ist keine CSV-Datei in UTF-8; speichern Sie sie als CSV UTF-8.</translation>
    </message>
    <message>
        <source>This is not the old web shop&apos;s database: table {0} is missing.</source>
        <translation>Das ist nicht die Datenbank des alten Webshops: die Tabelle {0} fehlt.</translation>
    </message>
    <message>
        <source>This is not the old web shop&apos;s database: tables {0} are missing.</source>
        <translation>Das ist nicht die Datenbank des alten Webshops: die Tabellen {0} fehlen.</translation>
    </message>
    <message>
        <source>This product has no price per kg, so the label&apos;s weight cannot be told.</source>
        <translation>Dieser Artikel hat keinen Preis je kg, daher lässt sich das Gewicht des Etiketts nicht bestimmen.</translation>
    </message>
    <message>
        <source>This promotion has already been ended.</source>
        <translation>Diese Aktion wurde bereits beendet.</translation>
    </message>
    <message>
        <source>This promotion has been ended; create a new one instead.</source>
        <translation>Diese Aktion wurde beendet; legen Sie stattdessen eine neue an.</translation>
    </message>
    <message>
        <source>This refund id was already used for another receipt.</source>
        <translation>Diese Erstattungsnummer wurde bereits für einen anderen Beleg verwendet.</translation>
    </message>
    <message>
        <source>This report was made without each period&apos;s breakdowns; run it again asking for them.</source>
        <translation>Dieser Bericht wurde ohne Aufschlüsselung der einzelnen Zeiträume erstellt; erstellen Sie ihn erneut mit Aufschlüsselung.</translation>
    </message>
    <message>
        <source>This session was logged out; please log in again.</source>
        <translation>Diese Sitzung wurde abgemeldet; bitte melden Sie sich erneut an.</translation>
    </message>
    <message>
        <source>This shift was closed at the same time on another screen.</source>
        <translation>Diese Schicht wurde gleichzeitig an einem anderen Bildschirm geschlossen.</translation>
    </message>
    <message>
        <source>This till already has an open shift; close it first.</source>
        <translation>Diese Kasse hat bereits eine offene Schicht; schließen Sie sie zuerst.</translation>
    </message>
    <message>
        <source>Too many failed attempts; this account is locked for 1 more minute.</source>
        <translation>Zu viele Fehlversuche; dieses Konto ist noch 1 Minute gesperrt.</translation>
    </message>
    <message>
        <source>Too many failed attempts; this account is locked for {0} more minutes.</source>
        <translation>Zu viele Fehlversuche; dieses Konto ist noch {0} Minuten gesperrt.</translation>
    </message>
    <message>
        <source>Too many line discounts.</source>
        <translation>Zu viele Positionsrabatte.</translation>
    </message>
    <message>
        <source>Too many price overrides.</source>
        <translation>Zu viele Preisänderungen.</translation>
    </message>
    <message>
        <source>Use at most two decimals for a percentage.</source>
        <translation>Verwenden Sie für einen Prozentsatz höchstens zwei Nachkommastellen.</translation>
    </message>
    <message>
        <source>Use at most two decimals for the tax rate.</source>
        <translation>Verwenden Sie für den Steuersatz höchstens zwei Nachkommastellen.</translation>
    </message>
    <message>
        <source>Use at most {0} decimals.</source>
        <translation>Verwenden Sie höchstens {0} Nachkommastellen.</translation>
    </message>
    <message>
        <source>Use at most {0} payments.</source>
        <translation>Verwenden Sie höchstens {0} Zahlungen.</translation>
    </message>
    <message>
        <source>You cannot approve your own changed price; ask a manager or the owner.</source>
        <translation>Sie können Ihren eigenen geänderten Preis nicht freigeben; fragen Sie eine Filialleitung oder die Inhaberin.</translation>
    </message>
    <message>
        <source>You cannot approve your own request; ask a manager.</source>
        <translation>Sie können Ihre eigene Anfrage nicht freigeben; fragen Sie eine Filialleitung.</translation>
    </message>
    <message>
        <source>You cannot deactivate your own account.</source>
        <translation>Sie können Ihr eigenes Konto nicht deaktivieren.</translation>
    </message>
    <message>
        <source>Your role was changed to {0}; please log in again.</source>
        <translation>Ihre Rolle wurde zu {0} geändert; bitte melden Sie sich erneut an.</translation>
    </message>
    <message>
        <source>Your session has ended; please log in again.</source>
        <translation>Ihre Sitzung ist beendet; bitte melden Sie sich erneut an.</translation>
    </message>
    <message>
        <source>a price check digit covers 4 or 5 digits</source>
        <translation>eine Preisprüfziffer deckt 4 oder 5 Ziffern ab</translation>
    </message>
    <message>
        <source>discounts take more than the line</source>
        <translation>die Rabatte sind höher als die Position</translation>
    </message>
    <message>
        <source>it has no date</source>
        <translation>es hat kein Datum</translation>
    </message>
    <message>
        <source>it has no name</source>
        <translation>es hat keinen Namen</translation>
    </message>
    <message>
        <source>its quantity {0} is not a positive count</source>
        <translation>seine Menge {0} ist keine positive Anzahl</translation>
    </message>
    <message>
        <source>its {0} {1} {2}</source>
        <translation>sein(e) {0} {1} {2}</translation>
    </message>
    <message>
        <source>none of its lines could be imported</source>
        <translation>keine seiner Positionen ließ sich importieren</translation>
    </message>
    <message>
        <source>nothing to share an amount over</source>
        <translation>nichts, worauf sich ein Betrag verteilen ließe</translation>
    </message>
    <message>
        <source>prefix {0} is not read by this rule</source>
        <translation>Präfix {0} wird von dieser Regel nicht gelesen</translation>
    </message>
    <message>
        <source>refunded units out of range</source>
        <translation>erstattete Stück außerhalb des Bereichs</translation>
    </message>
    <message>
        <source>tax rates are not negative</source>
        <translation>Steuersätze sind nicht negativ</translation>
    </message>
    <message>
        <source>the amount {0} is negative or too large</source>
        <translation>der Betrag {0} ist negativ oder zu groß</translation>
    </message>
    <message>
        <source>the amount {0} is not a number</source>
        <translation>der Betrag {0} ist keine Zahl</translation>
    </message>
    <message>
        <source>the amount {0} is not a number or has more than {1} decimals</source>
        <translation>der Betrag {0} ist keine Zahl oder hat mehr als {1} Nachkommastellen</translation>
    </message>
    <message>
        <source>the amount {0} is not a whole number ({1} has no decimals)</source>
        <translation>der Betrag {0} ist keine ganze Zahl ({1} hat keine Nachkommastellen)</translation>
    </message>
    <message>
        <source>the e-mail address {0} is not valid</source>
        <translation>die E-Mail-Adresse {0} ist ungültig</translation>
    </message>
    <message>
        <source>unknown audit action {0}</source>
        <translation>unbekannte Protokollaktion {0}</translation>
    </message>
    <message>
        <source>{0} cannot be opened: {1}.</source>
        <translation>{0} lässt sich nicht öffnen: {1}.</translation>
    </message>
    <message>
        <source>{0} cannot be returned any more.</source>
        <translation>{0} kann nicht mehr zurückgegeben werden.</translation>
    </message>
    <message>
        <source>{0} does not fit in {1} digits</source>
        <translation>{0} passt nicht in {1} Ziffern</translation>
    </message>
    <message>
        <source>{0} handed over is less than the {1} due in cash.</source>
        <translation>{0} gegeben ist weniger als die bar fälligen {1}.</translation>
    </message>
    <message>
        <source>{0} has stock or sales counted in {1}; set its stock to zero and create a new product to sell it the other way.</source>
        <translation>{0} hat Bestand oder Verkäufe in {1}; setzen Sie den Bestand auf null und legen Sie einen neuen Artikel an, um ihn anders zu verkaufen.</translation>
    </message>
    <message>
        <source>{0} is a folder; name a file.</source>
        <translation>{0} ist ein Ordner; nennen Sie eine Datei.</translation>
    </message>
    <message>
        <source>{0} is already a Till user; their sales go to that account</source>
        <translation>{0} hat bereits ein Till-Konto; die Verkäufe gehen auf dieses Konto</translation>
    </message>
    <message>
        <source>{0} is not a usable SQLite database ({1}).</source>
        <translation>{0} ist keine brauchbare SQLite-Datenbank ({1}).</translation>
    </message>
    <message>
        <source>{0} is not a whole number</source>
        <translation>{0} ist keine ganze Zahl</translation>
    </message>
    <message>
        <source>{0} is not an ESC/POS printer.</source>
        <translation>{0} ist kein ESC/POS-Drucker.</translation>
    </message>
    <message>
        <source>{0} is not sold by weight.</source>
        <translation>{0} wird nicht nach Gewicht verkauft.</translation>
    </message>
    <message>
        <source>{0} would have more than {1} in stock (now {2}).</source>
        <translation>{0} hätte mehr als {1} auf Lager (jetzt {2}).</translation>
    </message>
    <message>
        <source>{0}: &apos;{1}&apos; cannot be set as a barcode.</source>
        <translation>{0}: „{1}“ lässt sich nicht als Barcode setzen.</translation>
    </message>
    <message>
        <source>{0}: &apos;{1}&apos; is a folder, not a SQLite file.</source>
        <translation>{0}: „{1}“ ist ein Ordner, keine SQLite-Datei.</translation>
    </message>
    <message>
        <source>{0}: &apos;{1}&apos; is neither 1 (on) nor 0 (off).</source>
        <translation>{0}: „{1}“ ist weder 1 (an) noch 0 (aus).</translation>
    </message>
    <message>
        <source>{0}: &apos;{1}&apos; is not a setting (known: {2}).</source>
        <translation>{0}: „{1}“ ist keine Einstellung (bekannt: {2}).</translation>
    </message>
    <message>
        <source>{0}: &apos;{1}&apos; is not a whole number.</source>
        <translation>{0}: „{1}“ ist keine ganze Zahl.</translation>
    </message>
    <message>
        <source>{0}: &apos;{1}&apos; is not one of {2}.</source>
        <translation>{0}: „{1}“ ist keines von {2}.</translation>
    </message>
    <message>
        <source>{0}: &apos;{1}&apos; must be a text or a whole number.</source>
        <translation>{0}: „{1}“ muss ein Text oder eine ganze Zahl sein.</translation>
    </message>
    <message>
        <source>{0}: basis points, at most 10000 (100 %).</source>
        <translation>{0}: Basispunkte, höchstens 10000 (100 %).</translation>
    </message>
    <message>
        <source>{0}: cannot create the SQLite file &apos;{1}&apos; ({2}).</source>
        <translation>{0}: die SQLite-Datei „{1}“ lässt sich nicht anlegen ({2}).</translation>
    </message>
    <message>
        <source>{0}: cannot create the folder for the SQLite file &apos;{1}&apos; ({2}).</source>
        <translation>{0}: der Ordner für die SQLite-Datei „{1}“ lässt sich nicht anlegen ({2}).</translation>
    </message>
    <message>
        <source>{0}: cannot read the schema revision ({1}).</source>
        <translation>{0}: der Schemastand lässt sich nicht lesen ({1}).</translation>
    </message>
    <message>
        <source>{0}: cannot read the settings file ({1}).</source>
        <translation>{0}: die Einstellungsdatei lässt sich nicht lesen ({1}).</translation>
    </message>
    <message>
        <source>{0}: must not be negative.</source>
        <translation>{0}: darf nicht negativ sein.</translation>
    </message>
    <message>
        <source>{0}: the SQLite file &apos;{1}&apos; is not writable.</source>
        <translation>{0}: die SQLite-Datei „{1}“ ist nicht beschreibbar.</translation>
    </message>
    <message>
        <source>{0}: the database was made by a newer version of Till ({1}); install that version or point the setting at another database.</source>
        <translation>{0}: die Datenbank stammt von einer neueren Version von Till ({1}); installieren Sie diese Version oder lassen Sie die Einstellung auf eine andere Datenbank zeigen.</translation>
    </message>
    <message>
        <source>{0}: the settings file is not valid TOML ({1}).</source>
        <translation>{0}: die Einstellungsdatei ist kein gültiges TOML ({1}).</translation>
    </message>
    <message>
        <source>{0}: upgrading the database schema failed ({1}).</source>
        <translation>{0}: die Aktualisierung des Datenbankschemas ist fehlgeschlagen ({1}).</translation>
    </message>
    <message>
        <source>{0}: {1}; start this till again once the other one is running.</source>
        <translation>{0}: {1}; starten Sie diese Kasse neu, sobald die andere läuft.</translation>
    </message>
</context>
<context>
    <name>ShiftGate</name>
    <message>
        <source>No shift is open on this till.</source>
        <translation>An dieser Kasse ist keine Schicht geöffnet.</translation>
    </message>
</context>
<context>
    <name>ShiftHistory</name>
    <message>
        <source>Past shifts</source>
        <translation>Frühere Schichten</translation>
    </message>
    <message>
        <source>Show Z report  Enter</source>
        <translation>Z-Bericht zeigen  Eingabe</translation>
    </message>
    <message>
        <source>Show the Z report of the chosen shift</source>
        <translation>Den Z-Bericht der gewählten Schicht zeigen</translation>
    </message>
    <message numerus="yes">
        <source>%Ln shift(s)</source>
        <translation>
            <numerusform>%Ln Schicht</numerusform>
            <numerusform>%Ln Schichten</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>ShiftScreen</name>
    <message>
        <source>No shift is open on till {0}</source>
        <translation>An Kasse {0} ist keine Schicht geöffnet</translation>
    </message>
    <message>
        <source>Count the cash float put into the drawer and open the shift.</source>
        <translation>Zählen Sie das Wechselgeld in der Lade und öffnen Sie die Schicht.</translation>
    </message>
    <message>
        <source>Cash float</source>
        <translation>Wechselgeld</translation>
    </message>
    <message>
        <source>Open shift  Enter</source>
        <translation>Schicht öffnen  Eingabe</translation>
    </message>
    <message>
        <source>Figures so far</source>
        <translation>Zahlen bisher</translation>
    </message>
    <message>
        <source>Refresh  F5</source>
        <translation>Aktualisieren  F5</translation>
    </message>
    <message>
        <source>Close shift…  F10</source>
        <translation>Schicht schließen …  F10</translation>
    </message>
    <message>
        <source>Shift {0} is open on till {1}</source>
        <translation>Schicht {0} ist an Kasse {1} geöffnet</translation>
    </message>
    <message>
        <source>Opened {0} by {1} with a float of {2}.</source>
        <translation>Geöffnet {0} von {1} mit {2} Wechselgeld.</translation>
    </message>
    <message>
        <source>Shift {0} opened with a float of {1}.</source>
        <translation>Schicht {0} mit {1} Wechselgeld geöffnet.</translation>
    </message>
    <message>
        <source>Shift {0} is closed.</source>
        <translation>Schicht {0} ist geschlossen.</translation>
    </message>
</context>
<context>
    <name>ShortcutHelpDialog</name>
    <message>
        <source>Keyboard shortcuts — {0}</source>
        <translation>Tastenkürzel — {0}</translation>
    </message>
    <message>
        <source>Keys of the {0} screen and of every screen</source>
        <translation>Tasten der Ansicht {0} und aller Ansichten</translation>
    </message>
</context>
<context>
    <name>StartupErrorDialog</name>
    <message>
        <source>Copy details</source>
        <translation>Details kopieren</translation>
    </message>
    <message>
        <source>Copied</source>
        <translation>Kopiert</translation>
    </message>
</context>
<context>
    <name>StartupWindow</name>
    <message>
        <source>First start</source>
        <translation>Erster Start</translation>
    </message>
    <message>
        <source>Preparing the demo shop</source>
        <translation>Der Demo-Laden wird vorbereitet</translation>
    </message>
    <message>
        <source>A year of sales in five categories, for you to try out…</source>
        <translation>Ein Jahr Verkäufe in fünf Kategorien zum Ausprobieren …</translation>
    </message>
    <message>
        <source>{0} of {1} sales</source>
        <translation>{0} von {1} Verkäufen</translation>
    </message>
</context>
<context>
    <name>StockCount</name>
    <message>
        <source>The cart is empty; scan the product to count first.</source>
        <translation>Der Warenkorb ist leer; scannen Sie zuerst das zu zählende Produkt.</translation>
    </message>
    <message>
        <source>The stock was not counted: it needs a manager&apos;s approval.</source>
        <translation>Der Bestand wurde nicht gezählt: das braucht die Freigabe einer Filialleitung.</translation>
    </message>
    <message>
        <source>{0} now has {1} in stock.</source>
        <translation>{0}: jetzt {1} auf Lager.</translation>
    </message>
    <message>
        <source>Stock of {0} counted: {1} (the till had {2}).</source>
        <translation>Bestand von {0} gezählt: {1} (die Kasse hatte {2}).</translation>
    </message>
</context>
<context>
    <name>TargetPicker</name>
    <message>
        <source>Find a product or category…</source>
        <translation>Produkt oder Kategorie suchen …</translation>
    </message>
    <message>
        <source>Add →</source>
        <translation>Hinzufügen →</translation>
    </message>
    <message>
        <source>Remove</source>
        <translation>Entfernen</translation>
    </message>
    <message>
        <source>Covered by the promotion</source>
        <translation>Von der Aktion erfasst</translation>
    </message>
    <message>
        <source>Enter or double click adds; Delete removes a chosen one.</source>
        <translation>Eingabe oder Doppelklick fügt hinzu; Entf entfernt das Gewählte.</translation>
    </message>
    <message>
        <source>Nothing found by that name.</source>
        <translation>Unter diesem Namen wurde nichts gefunden.</translation>
    </message>
</context>
<context>
    <name>TillDevices</name>
    <message>
        <source>Receipts: system printer</source>
        <translation>Belege: Systemdrucker</translation>
    </message>
    <message>
        <source>Receipts: PDF only</source>
        <translation>Belege: nur PDF</translation>
    </message>
    <message>
        <source>The receipt could not be printed: {0} Reprint it from the Receipts screen.</source>
        <translation>Der Beleg ließ sich nicht drucken: {0} Drucken Sie ihn unter Belege nach.</translation>
    </message>
    <message>
        <source>The drawer opening could not be recorded: {0}</source>
        <translation>Die Ladenöffnung ließ sich nicht protokollieren: {0}</translation>
    </message>
</context>
<context>
    <name>TillMenu</name>
    <message>
        <source>Customer display</source>
        <translation>Kundenanzeige</translation>
    </message>
    <message>
        <source>No sale (open drawer)…</source>
        <translation>Ohne Verkauf (Lade öffnen) …</translation>
    </message>
    <message>
        <source>Retry printing</source>
        <translation>Druck wiederholen</translation>
    </message>
    <message>
        <source>&amp;Till</source>
        <translation>&amp;Kasse</translation>
    </message>
</context>
<context>
    <name>TotalPanel</name>
    <message>
        <source>Total</source>
        <translation>Summe</translation>
    </message>
    <message>
        <source>Quantity</source>
        <translation>Menge</translation>
    </message>
    <message>
        <source>Remove line</source>
        <translation>Position entfernen</translation>
    </message>
    <message>
        <source>Change price</source>
        <translation>Preis ändern</translation>
    </message>
    <message>
        <source>Park sale</source>
        <translation>Verkauf parken</translation>
    </message>
    <message>
        <source>Recall sale</source>
        <translation>Verkauf zurückholen</translation>
    </message>
    <message>
        <source>Void cart</source>
        <translation>Warenkorb stornieren</translation>
    </message>
    <message>
        <source>Count stock</source>
        <translation>Bestand zählen</translation>
    </message>
    <message>
        <source>Discount line</source>
        <translation>Positionsrabatt</translation>
    </message>
    <message>
        <source>Discount the selected line (Ctrl+D)</source>
        <translation>Die gewählte Position rabattieren (Strg+D)</translation>
    </message>
    <message>
        <source>Discount cart</source>
        <translation>Bonrabatt</translation>
    </message>
    <message>
        <source>Discount the whole cart (Ctrl+Shift+D)</source>
        <translation>Den ganzen Warenkorb rabattieren (Strg+Umschalt+D)</translation>
    </message>
    <message>
        <source>Pay</source>
        <translation>Bezahlen</translation>
    </message>
    <message>
        <source>1 item</source>
        <translation>1 Artikel</translation>
    </message>
    <message>
        <source>{0} items</source>
        <translation>{0} Artikel</translation>
    </message>
</context>
<context>
    <name>UnshiftedList</name>
    <message>
        <source>Rung with no shift</source>
        <translation>Ohne Schicht gebucht</translation>
    </message>
    <message>
        <source>None: every sale and refund is on a Z report.</source>
        <translation>Keine: jeder Verkauf und jede Erstattung steht auf einem Z-Bericht.</translation>
    </message>
    <message numerus="yes">
        <source>%Ln sale(s) and refund(s) are on no Z report; reconcile them by hand.</source>
        <translation>
            <numerusform>%Ln Verkauf oder Erstattung steht auf keinem Z-Bericht; gleichen Sie ihn von Hand ab.</numerusform>
            <numerusform>%Ln Verkäufe und Erstattungen stehen auf keinem Z-Bericht; gleichen Sie sie von Hand ab.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>UserDialog</name>
    <message>
        <source>New user</source>
        <translation>Neues Konto</translation>
    </message>
    <message>
        <source>name@example.com</source>
        <translation>name@beispiel.de</translation>
    </message>
    <message>
        <source>&amp;First name</source>
        <translation>&amp;Vorname</translation>
    </message>
    <message>
        <source>&amp;Last name</source>
        <translation>&amp;Nachname</translation>
    </message>
    <message>
        <source>&amp;E-mail</source>
        <translation>&amp;E-Mail</translation>
    </message>
    <message>
        <source>&amp;Role</source>
        <translation>&amp;Rolle</translation>
    </message>
    <message>
        <source>&amp;Password</source>
        <translation>&amp;Passwort</translation>
    </message>
    <message>
        <source>Re&amp;peat</source>
        <translation>&amp;Wiederholen</translation>
    </message>
</context>
<context>
    <name>UsersScreen</name>
    <message>
        <source>Users</source>
        <translation>Konten</translation>
    </message>
    <message>
        <source>New user…</source>
        <translation>Neues Konto …</translation>
    </message>
    <message>
        <source>Change role…</source>
        <translation>Rolle ändern …</translation>
    </message>
    <message>
        <source>Deactivate</source>
        <translation>Deaktivieren</translation>
    </message>
    <message>
        <source>Reset password…</source>
        <translation>Passwort zurücksetzen …</translation>
    </message>
    <message>
        <source>Deactivated users cannot sign in; their sales stay in the reports.</source>
        <translation>Deaktivierte Konten können sich nicht anmelden; ihre Verkäufe bleiben in den Berichten.</translation>
    </message>
    <message>
        <source>Only owners can manage users.</source>
        <translation>Nur Inhaber verwalten Konten.</translation>
    </message>
    <message>
        <source>Reactivate</source>
        <translation>Reaktivieren</translation>
    </message>
    <message>
        <source> (deactivated)</source>
        <translation> (deaktiviert)</translation>
    </message>
    <message>
        <source>Saved {0}: {1}{2}.</source>
        <translation>{0} gespeichert: {1}{2}.</translation>
    </message>
    <message>
        <source>New password set for {0}; they must sign in again.</source>
        <translation>Neues Passwort für {0} gesetzt; die Person muss sich neu anmelden.</translation>
    </message>
</context>
<context>
    <name>WeekdayTab</name>
    <message>
        <source>No sales in this range.</source>
        <translation>Keine Verkäufe in diesem Zeitraum.</translation>
    </message>
    <message>
        <source>Average number of sales per weekday</source>
        <translation>Durchschnittliche Zahl der Verkäufe je Wochentag</translation>
    </message>
</context>
<context>
    <name>WeightDialog</name>
    <message>
        <source>Weight</source>
        <translation>Gewicht</translation>
    </message>
    <message>
        <source>kg, e.g. 0.455, or 455 g</source>
        <translation>kg, z. B. 0,455 oder 455 g</translation>
    </message>
    <message>
        <source>Price</source>
        <translation>Preis</translation>
    </message>
    <message>
        <source>&amp;Weight</source>
        <translation>&amp;Gewicht</translation>
    </message>
    <message>
        <source>Add  Enter</source>
        <translation>Hinzufügen  Enter</translation>
    </message>
    <message>
        <source>Back  Esc</source>
        <translation>Zurück  Esc</translation>
    </message>
</context>
<context>
    <name>ZReport</name>
    <message>
        <source>The shift is still open; cash expected so far {0}.</source>
        <translation>Die Schicht ist noch offen; bisher erwartetes Bargeld {0}.</translation>
    </message>
    <message>
        <source>The drawer matches the expected cash.</source>
        <translation>Die Lade stimmt mit dem erwarteten Bargeld überein.</translation>
    </message>
    <message>
        <source>The drawer is short by {0}.</source>
        <translation>In der Lade fehlen {0}.</translation>
    </message>
    <message>
        <source>The drawer is over by {0}.</source>
        <translation>In der Lade sind {0} zu viel.</translation>
    </message>
</context>
<context>
    <name>ZReportDialog</name>
    <message>
        <source>Z report — shift {0}</source>
        <translation>Z-Bericht — Schicht {0}</translation>
    </message>
</context>
<context>
    <name>analytics.insight_tables</name>
    <message>
        <source>Product</source>
        <translation>Produkt</translation>
    </message>
    <message>
        <source>SKU</source>
        <translation>Artikelnr.</translation>
    </message>
    <message>
        <source>Category</source>
        <translation>Kategorie</translation>
    </message>
    <message>
        <source>Sales</source>
        <translation>Verkäufe</translation>
    </message>
    <message>
        <source>Units</source>
        <translation>Stück</translation>
    </message>
    <message>
        <source>Revenue</source>
        <translation>Umsatz</translation>
    </message>
    <message>
        <source>Hour</source>
        <translation>Stunde</translation>
    </message>
    <message>
        <source>Average sale</source>
        <translation>Durchschnittsverkauf</translation>
    </message>
    <message>
        <source>Weekday</source>
        <translation>Wochentag</translation>
    </message>
    <message>
        <source>Days</source>
        <translation>Tage</translation>
    </message>
    <message>
        <source>Sales per day</source>
        <translation>Verkäufe je Tag</translation>
    </message>
    <message>
        <source>Revenue per day</source>
        <translation>Umsatz je Tag</translation>
    </message>
</context>
<context>
    <name>analytics.tables</name>
    <message>
        <source>Start</source>
        <translation>Beginn</translation>
    </message>
    <message>
        <source>End</source>
        <translation>Ende</translation>
    </message>
    <message>
        <source>Sales</source>
        <translation>Verkäufe</translation>
    </message>
    <message>
        <source>Units</source>
        <translation>Stück</translation>
    </message>
    <message>
        <source>Revenue</source>
        <translation>Umsatz</translation>
    </message>
    <message>
        <source>Per sale</source>
        <translation>Je Verkauf</translation>
    </message>
    <message>
        <source>Gross</source>
        <translation>Brutto</translation>
    </message>
    <message>
        <source>Discounts</source>
        <translation>Rabatte</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>Name</translation>
    </message>
    <message>
        <source>Share</source>
        <translation>Anteil</translation>
    </message>
</context>
<context>
    <name>app</name>
    <message>
        <source>Till</source>
        <translation>Kasse</translation>
    </message>
</context>
<context>
    <name>audit.columns</name>
    <message>
        <source>Time</source>
        <translation>Zeit</translation>
    </message>
    <message>
        <source>User</source>
        <translation>Konto</translation>
    </message>
    <message>
        <source>Till</source>
        <translation>Kasse</translation>
    </message>
    <message>
        <source>Action</source>
        <translation>Aktion</translation>
    </message>
    <message>
        <source>Subject</source>
        <translation>Gegenstand</translation>
    </message>
    <message>
        <source>Details</source>
        <translation>Details</translation>
    </message>
</context>
<context>
    <name>catalog.columns</name>
    <message>
        <source>Name</source>
        <translation>Name</translation>
    </message>
    <message>
        <source>Slug</source>
        <translation>Kürzel</translation>
    </message>
    <message>
        <source>Products</source>
        <translation>Produkte</translation>
    </message>
    <message>
        <source>Tax</source>
        <translation>Steuer</translation>
    </message>
    <message>
        <source>Active</source>
        <translation>Aktiv</translation>
    </message>
    <message>
        <source>SKU</source>
        <translation>Artikelnr.</translation>
    </message>
    <message>
        <source>Barcode</source>
        <translation>Barcode</translation>
    </message>
    <message>
        <source>Category</source>
        <translation>Kategorie</translation>
    </message>
    <message>
        <source>Price</source>
        <translation>Preis</translation>
    </message>
    <message>
        <source>Stock</source>
        <translation>Bestand</translation>
    </message>
</context>
<context>
    <name>checkout.cart_keeper</name>
    <message>
        <source>The cart is not empty</source>
        <translation>Der Warenkorb ist nicht leer</translation>
    </message>
    <message>
        <source>Park it to finish the sale later at any till, or void it (the void is recorded).</source>
        <translation>Parken Sie ihn, um den Verkauf später an einer beliebigen Kasse abzuschließen, oder stornieren Sie ihn (das Storno wird protokolliert).</translation>
    </message>
    <message>
        <source>Park the sale</source>
        <translation>Verkauf parken</translation>
    </message>
    <message>
        <source>Void the cart</source>
        <translation>Warenkorb stornieren</translation>
    </message>
    <message>
        <source>Go back</source>
        <translation>Zurück</translation>
    </message>
    <message>
        <source>Unfinished sale</source>
        <translation>Unterbrochener Verkauf</translation>
    </message>
    <message>
        <source>Restore the sale</source>
        <translation>Verkauf wiederherstellen</translation>
    </message>
    <message>
        <source>Void it</source>
        <translation>Stornieren</translation>
    </message>
</context>
<context>
    <name>checkout.held_dialog</name>
    <message>
        <source>Park sale</source>
        <translation>Verkauf parken</translation>
    </message>
    <message>
        <source>Label to find it again (optional), e.g. the customer&apos;s name:</source>
        <translation>Bezeichnung zum Wiederfinden (optional), z. B. der Name der Kundschaft:</translation>
    </message>
    <message>
        <source>Label</source>
        <translation>Bezeichnung</translation>
    </message>
    <message>
        <source>Parked</source>
        <translation>Geparkt</translation>
    </message>
    <message>
        <source>Till</source>
        <translation>Kasse</translation>
    </message>
    <message>
        <source>Cashier</source>
        <translation>Kassierer/in</translation>
    </message>
    <message>
        <source>Items</source>
        <translation>Artikel</translation>
    </message>
    <message>
        <source>Total</source>
        <translation>Summe</translation>
    </message>
    <message>
        <source>Saved</source>
        <translation>Gespart</translation>
    </message>
</context>
<context>
    <name>checkout.sale_actions</name>
    <message>
        <source>Void the whole cart</source>
        <translation>Ganzen Warenkorb stornieren</translation>
    </message>
</context>
<context>
    <name>checkout.tender</name>
    <message>
        <source>Enter the amount paid by card.</source>
        <translation>Geben Sie den mit Karte bezahlten Betrag ein.</translation>
    </message>
    <message>
        <source>The card amount is more than the amount due.</source>
        <translation>Der Kartenbetrag ist höher als der zu zahlende Betrag.</translation>
    </message>
    <message>
        <source>still to pay</source>
        <translation>noch zu zahlen</translation>
    </message>
</context>
<context>
    <name>credentials</name>
    <message>
        <source>Checking…</source>
        <translation>Wird geprüft …</translation>
    </message>
</context>
<context>
    <name>hardware.labels</name>
    <message>
        <source>Shelf labels</source>
        <translation>Regaletiketten</translation>
    </message>
</context>
<context>
    <name>hardware.no_sale</name>
    <message>
        <source>No sale</source>
        <translation>Ohne Verkauf</translation>
    </message>
    <message>
        <source>Why is the drawer opened without a sale?</source>
        <translation>Warum wird die Lade ohne Verkauf geöffnet?</translation>
    </message>
</context>
<context>
    <name>inventory.columns</name>
    <message>
        <source>Product</source>
        <translation>Produkt</translation>
    </message>
    <message>
        <source>SKU</source>
        <translation>Artikelnr.</translation>
    </message>
    <message>
        <source>Barcode</source>
        <translation>Barcode</translation>
    </message>
    <message>
        <source>Category</source>
        <translation>Kategorie</translation>
    </message>
    <message>
        <source>In stock</source>
        <translation>Auf Lager</translation>
    </message>
    <message>
        <source>Updated</source>
        <translation>Aktualisiert</translation>
    </message>
    <message>
        <source>Active</source>
        <translation>Aktiv</translation>
    </message>
    <message>
        <source>When</source>
        <translation>Wann</translation>
    </message>
    <message>
        <source>Change</source>
        <translation>Rückgeld</translation>
    </message>
    <message>
        <source>Reason</source>
        <translation>Grund</translation>
    </message>
    <message>
        <source>Note</source>
        <translation>Notiz</translation>
    </message>
    <message>
        <source>By</source>
        <translation>Von</translation>
    </message>
    <message>
        <source>Sale</source>
        <translation>Verkauf</translation>
    </message>
</context>
<context>
    <name>promotions.screen</name>
    <message>
        <source>open</source>
        <translation>offen</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>Name</translation>
    </message>
    <message>
        <source>Type</source>
        <translation>Art</translation>
    </message>
    <message>
        <source>Deal</source>
        <translation>Angebot</translation>
    </message>
    <message>
        <source>Covers</source>
        <translation>Gilt für</translation>
    </message>
    <message>
        <source>From</source>
        <translation>Von</translation>
    </message>
    <message>
        <source>Until</source>
        <translation>Bis</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>Status</translation>
    </message>
</context>
<context>
    <name>receipts.screen</name>
    <message>
        <source>Receipt</source>
        <translation>Beleg</translation>
    </message>
    <message>
        <source>Time</source>
        <translation>Zeit</translation>
    </message>
    <message>
        <source>Till</source>
        <translation>Kasse</translation>
    </message>
    <message>
        <source>Cashier</source>
        <translation>Kassierer/in</translation>
    </message>
    <message>
        <source>Total</source>
        <translation>Summe</translation>
    </message>
    <message>
        <source>Refunded</source>
        <translation>Erstattet</translation>
    </message>
    <message>
        <source>all</source>
        <translation>alles</translation>
    </message>
</context>
<context>
    <name>shifts.history</name>
    <message>
        <source>Shift</source>
        <translation>Schicht</translation>
    </message>
    <message>
        <source>Till</source>
        <translation>Kasse</translation>
    </message>
    <message>
        <source>Opened</source>
        <translation>Geöffnet</translation>
    </message>
    <message>
        <source>By</source>
        <translation>Von</translation>
    </message>
    <message>
        <source>Closed</source>
        <translation>Geschlossen</translation>
    </message>
    <message>
        <source>Float</source>
        <translation>Wechselgeld</translation>
    </message>
    <message>
        <source>Expected</source>
        <translation>Erwartet</translation>
    </message>
    <message>
        <source>Counted</source>
        <translation>Gezählt</translation>
    </message>
    <message>
        <source>Difference</source>
        <translation>Differenz</translation>
    </message>
</context>
<context>
    <name>shifts.unshifted</name>
    <message>
        <source>Kind</source>
        <translation>Art</translation>
    </message>
    <message>
        <source>Receipt</source>
        <translation>Beleg</translation>
    </message>
    <message>
        <source>Till</source>
        <translation>Kasse</translation>
    </message>
    <message>
        <source>When</source>
        <translation>Wann</translation>
    </message>
    <message>
        <source>Cashier</source>
        <translation>Kassierer/in</translation>
    </message>
    <message>
        <source>Amount</source>
        <translation>Betrag</translation>
    </message>
</context>
<context>
    <name>users.screen</name>
    <message>
        <source>Name</source>
        <translation>Name</translation>
    </message>
    <message>
        <source>E-mail</source>
        <translation>E-Mail</translation>
    </message>
    <message>
        <source>Role</source>
        <translation>Rolle</translation>
    </message>
    <message>
        <source>Active</source>
        <translation>Aktiv</translation>
    </message>
    <message>
        <source>Last login</source>
        <translation>Letzte Anmeldung</translation>
    </message>
</context>
</TS>
