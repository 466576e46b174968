<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="de_DE">
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
        <source>A chosen line is not on receipt {0}.</source>
        <translation>Eine gewählte Position steht nicht auf Beleg {0}.</translation>
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
        <source>A payment must be more than zero.</source>
        <translation>Eine Zahlung muss größer als null sein.</translation>
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
        <source>A slug needs at least one letter or digit.</source>
        <translation>Ein Kürzel braucht mindestens einen Buchstaben oder eine Ziffer.</translation>
    </message>
    <message>
        <source>A user with this e-mail address already exists.</source>
        <translation>Es gibt bereits ein Konto mit dieser E-Mail-Adresse.</translation>
    </message>
    <message>
        <source>A void removes either a line or the whole cart.</source>
        <translation>Ein Storno entfernt entweder eine Position oder den ganzen Warenkorb.</translation>
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
        <source>Cannot sort by &apos;{0}&apos;; choose one of: {1}.</source>
        <translation>Nach „{0}“ lässt sich nicht sortieren; wählen Sie eines von: {1}.</translation>
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
        <source>Choose a date.</source>
        <translation>Wählen Sie ein Datum.</translation>
    </message>
    <message>
        <source>Choose a file to write to.</source>
        <translation>Wählen Sie eine Datei zum Schreiben.</translation>
    </message>
    <message>
        <source>Choose a start and an end date.</source>
        <translation>Wählen Sie ein Anfangs- und ein Enddatum.</translation>
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
        <source>Choose one of the listed actions.</source>
        <translation>Wählen Sie eine der aufgeführten Aktionen.</translation>
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
        <source>Choose whether to list the sale lines.</source>
        <translation>Wählen Sie, ob die Verkaufspositionen aufgelistet werden.</translation>
    </message>
    <message>
        <source>Choose whether to sell only what is in stock.</source>
        <translation>Wählen Sie, ob nur Vorrätiges verkauft wird.</translation>
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
        <source>Enter a {0}.</source>
        <translation>Geben Sie eine Angabe für {0} ein.</translation>
    </message>
    <message>
        <source>Enter an SKU of 1 to {0} letters, digits or symbols (plain ASCII, no spaces).</source>
        <translation>Geben Sie eine Artikelnummer aus 1 bis {0} Buchstaben, Ziffern oder Zeichen ein (nur ASCII, keine Leerzeichen).</translation>
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
        <source>Enter the old database&apos;s file or URL.</source>
        <translation>Geben Sie die Datei oder URL der alten Datenbank ein.</translation>
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
        <source>Log in as a manager or owner to create accounts.</source>
        <translation>Melden Sie sich als Filialleitung oder Inhaberin an, um Konten anzulegen.</translation>
    </message>
    <message>
        <source>More than {0} sale lines in this range; choose a shorter range or turn off the line list.</source>
        <translation>Mehr als {0} Verkaufspositionen in diesem Zeitraum; wählen Sie einen kürzeren Zeitraum oder schalten Sie die Positionsliste aus.</translation>
    </message>
    <message>
        <source>Name the product of the voided line.</source>
        <translation>Nennen Sie das Produkt der stornierten Position.</translation>
    </message>
    <message>
        <source>No product has the barcode or SKU &apos;{0}&apos;.</source>
        <translation>Kein Produkt hat den Barcode oder die Artikelnummer „{0}“.</translation>
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
        <source>Only managers and owners can approve refunds.</source>
        <translation>Nur Filialleitungen und Inhaber können Erstattungen freigeben.</translation>
    </message>
    <message>
        <source>Only managers and owners can {0}.</source>
        <translation>Nur Filialleitungen und Inhaber dürfen: {0}.</translation>
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
        <source>Product {0} has a price override but is not in the cart.</source>
        <translation>Produkt {0} hat einen geänderten Preis, liegt aber nicht im Warenkorb.</translation>
    </message>
    <message>
        <source>Product {0} has no price.</source>
        <translation>Produkt {0} hat keinen Preis.</translation>
    </message>
    <message>
        <source>Rank products by units or by revenue.</source>
        <translation>Ordnen Sie Produkte nach Stückzahl oder Umsatz.</translation>
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
        <source>The approval has expired or is not valid; ask the manager to approve again.</source>
        <translation>Die Freigabe ist abgelaufen oder ungültig; bitten Sie die Filialleitung, erneut freizugeben.</translation>
    </message>
    <message>
        <source>The approving account has been deactivated.</source>
        <translation>Das freigebende Konto wurde deaktiviert.</translation>
    </message>
    <message>
        <source>The approving account has been deactivated; a manager or the owner must approve a changed price.</source>
        <translation>Das freigebende Konto wurde deaktiviert; eine Filialleitung oder die Inhaberin muss den geänderten Preis freigeben.</translation>
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
        <source>The number of {0} must be between {1} and {2}.</source>
        <translation>Die Anzahl ({0}) muss zwischen {1} und {2} liegen.</translation>
    </message>
    <message>
        <source>The page offset must be zero or more.</source>
        <translation>Der Seitenversatz muss null oder mehr sein.</translation>
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
        <source>The quantity must be from 1 to {0}.</source>
        <translation>Die Menge muss zwischen 1 und {0} liegen.</translation>
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
        <source>The voided lines are not valid.</source>
        <translation>Die stornierten Positionen sind ungültig.</translation>
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
        <source>The {0} is too long (100 characters at most).</source>
        <translation>Die Angabe ({0}) ist zu lang (höchstens 100 Zeichen).</translation>
    </message>
    <message>
        <source>The {0} is too long ({1} characters at most).</source>
        <translation>Die Angabe ({0}) ist zu lang (höchstens {1} Zeichen).</translation>
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
        <source>This account has been deactivated; it cannot sell.</source>
        <translation>Dieses Konto wurde deaktiviert; es kann nicht verkaufen.</translation>
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
        <source>This refund id was already used for another receipt.</source>
        <translation>Diese Erstattungsnummer wurde bereits für einen anderen Beleg verwendet.</translation>
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
        <source>Too many failed attempts; this account is locked for {0} more minute(s).</source>
        <translation>Zu viele Fehlversuche; dieses Konto ist noch {0} Minute(n) gesperrt.</translation>
    </message>
    <message>
        <source>Too many price overrides.</source>
        <translation>Zu viele Preisänderungen.</translation>
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
        <source>{0} handed over is less than the {1} due in cash.</source>
        <translation>{0} gegeben ist weniger als die bar fälligen {1}.</translation>
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
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{0}: &apos;{1}&apos; must be a text or a whole number.</source>
        <translation>{0}: „{1}“ muss ein Text oder eine ganze Zahl sein.</translation>
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
</TS>
