<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="de_DE">
<context>
    <name>ServiceMessage</name>
    <message>
        <source>&apos;{0}&apos; is not a known locale (use a name such as &apos;de_DE&apos;).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A card is charged the exact amount.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A card payment cannot be more than the {0} owed.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A cart can have at most {0} lines.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A cart line names no valid product.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A category with the slug &apos;{0}&apos; already exists.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A chosen line is not on receipt {0}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A manager or the owner must approve a changed price.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A manager or the owner must approve a stock count.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A payment must be more than zero.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A refund can have at most {0} lines.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A report covers at most {0} years; choose a shorter range.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A sale can have at most {0} lines.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A slug needs at least one letter or digit.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A user with this e-mail address already exists.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A void removes either a line or the whole cart.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>An EAN-13 code starts with exactly 12 digits.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Another manager or the owner must approve the count.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Another product already has the SKU &apos;{0}&apos;.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Another product already has the barcode {0}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cannot open the old database: {0}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cannot read the old database: {0}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cannot read {0}: {1}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cannot remove {0} of {1}: only {2} in stock.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cannot sort by &apos;{0}&apos;; choose one of: {1}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cannot write {0}: {1}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Choose a backup file other than the database itself.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Choose a calendar date.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Choose a date.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Choose a file to write to.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Choose a start and an end date.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Choose a valid {0}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Choose at least one line to refund.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Choose one of the listed actions.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Choose the lines to refund.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Choose the manager who approves the changed price.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Choose the products to search among.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Choose whether to list the sale lines.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Choose whether to sell only what is in stock.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Choose who approves the refund.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Choose yes or no.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Each cart line needs a product and a quantity.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Each payment needs a tender and an amount.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Each refund line needs a line and a quantity.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Enter a change other than zero.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Enter a price from 0.00 up.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Enter a receipt number such as R00000042.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Enter a refund number such as F00000012.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Enter a tax rate such as 19 or 7.5.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Enter a valid e-mail address.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Enter a {0}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Enter an amount such as {0}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Enter an e-mail address.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Enter the old database&apos;s file or URL.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Enter the stock as a whole number from 0 to {0}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Filter on at most {0} {1}s.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Give the time with its time zone.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Group the report by one of: {0}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Log in as a manager or owner to create accounts.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>More than {0} sale lines in this range; choose a shorter range or turn off the line list.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Name the product of the voided line.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No product has the barcode or SKU &apos;{0}&apos;.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No shift is open on this till.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No such category.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No such held sale.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No such product.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No such sale.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No such shift.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No such user.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Only a SQLite database file can be backed up here.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Only a manager or the owner can approve a changed price.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Only managers and owners can approve refunds.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Only managers and owners can {0}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Only {0} can go back to the card; refund the rest in cash.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Only {0} can {1}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Only {0} of {1} can still be returned; {2} asked.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>POS_CURRENCY: &apos;{0}&apos; is not a three-letter currency code.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>POS_DATABASE_URL: &apos;{0}&apos; is not a database URL (expected e.g. &apos;sqlite:///path/to/till.sqlite3&apos; or &apos;mysql+pymysql://user:pass@host/db&apos;).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>POS_DATABASE_URL: the &apos;{0}&apos; database is not supported; use SQLite or MySQL/MariaDB.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>POS_DATABASE_URL: the URL names no database (add &apos;/dbname&apos;).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>POS_DATA_DIR: cannot create &apos;{0}&apos; ({1}).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>POS_DATA_DIR: cannot keep the session secret in &apos;{0}&apos; ({1}).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>POS_DEFAULT_TAX_BP: basis points, at most 10000 (100 %).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>POS_FONT_SIZE: points from {0} to {1} (the default is {2}).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>POS_LOCALE: {0}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>POS_TIMEZONE: &apos;{0}&apos; is not a known time zone (use an IANA name such as &apos;Europe/Berlin&apos;).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Pay by cash or card.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Price overrides map products to prices.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Product {0} does not exist.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Product {0} has a price override but is not in the cart.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Product {0} has no price.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Rank products by units or by revenue.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Refund in cash or to the card.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Refunds over {0} need a manager&apos;s approval.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Search among {0} products at most.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Several products match &apos;{0}&apos;: pick one from the list (arrow keys, then Enter).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Show between 1 and {0} products.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Show between 1 and {0} receipts.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Show between 1 and {0} sales.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Take a payment for this sale.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>That is not a database file or URL.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>That product is not in the cart.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>That {0} is already in use.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The amount cannot be negative.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The amount is too large.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The approving account has been deactivated.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The approving account has been deactivated; a manager or the owner must approve a changed price.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The backup is the database itself.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The cart is empty; add a product first.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The cart is empty; there is nothing to hold.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The cart must be a list of lines.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The connection to the database was lost; nothing was saved. Please try again.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The copy failed SQLite&apos;s integrity check: {0}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The copy is damaged ({0}).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The copy was made with schema revision {0}, this version of Till needs {1}; it cannot be restored here.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The current password is not correct.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The database URL is not valid.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The database already has sales; ask for sales only to add more.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The database is busy right now; nothing was saved. Please try again.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The database is in use; close every till on this computer and try again.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The first day must not be after the last day.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The folder {0} does not exist.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The held sale id is not valid.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The number of {0} must be between {1} and {2}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The page offset must be zero or more.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The page size must be between 1 and {0}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The password is too long.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The password needs at least {0} characters.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The payments add up to {0} but the sale is {1}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The payments must be a list.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The quantity must be a whole number from 1 to {0}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The quantity must be a whole number.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The quantity must be from 1 to {0}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The refund id is not valid.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The report query is malformed.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The role must be cashier, manager or owner.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The sale id is not valid.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The shop is closed on every chosen day; choose more days.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The start date must not be after the end date.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The stock changed during the import; nothing was changed.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The stock changed while it was counted; count it again.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The tax rate must be a whole number of basis points.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The tax rate must be between 0 % and 100 %.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The voided lines are not valid.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The {0} contains characters that are not allowed.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The {0} filter holds an invalid id.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The {0} filter must be a list of ids.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The {0} is out of range.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The {0} is too long (100 characters at most).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The {0} is too long ({1} characters at most).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The {0} must be a whole number of cents.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The {0} must be a whole number.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The {0} must be between {1} and {2}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The {0} must be text.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>There are no active products to sell; add products first.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>There are no active users to record sales under; add a user first.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>There is no active owner account; create one with &apos;pos-app create-user&apos;.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>There is no backup file at {0}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>There is no database file at {0}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>There is no receipt {0}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>There is no refund slip {0}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This account has been deactivated.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This account has been deactivated; it cannot sell.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This held sale was already recalled.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This installation of Till is incomplete: its database migrations are missing ({0}); reinstall Till.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This is not a CSV file in UTF-8; save it as CSV UTF-8.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This refund id was already used for another receipt.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This shift was closed at the same time on another screen.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This till already has an open shift; close it first.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Too many failed attempts; this account is locked for {0} more minute(s).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Too many price overrides.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Use at most two decimals for the tax rate.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Use at most {0} payments.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>You cannot approve your own changed price; ask a manager or the owner.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>You cannot deactivate your own account.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>it has no date</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>it has no name</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>its quantity {0} is not a positive count</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>its {0} {1} {2}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>none of its lines could be imported</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>tax rates are not negative</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the amount {0} is negative or too large</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the amount {0} is not a number</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the e-mail address {0} is not valid</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>unknown audit action {0}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{0} cannot be opened: {1}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{0} handed over is less than the {1} due in cash.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{0} is a folder; name a file.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{0} is already a Till user; their sales go to that account</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{0} is not a usable SQLite database ({1}).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{0} is not a whole number</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{0} would have more than {1} in stock (now {2}).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{0}: &apos;{1}&apos; is a folder, not a SQLite file.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{0}: &apos;{1}&apos; is neither 1 (on) nor 0 (off).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{0}: &apos;{1}&apos; is not a setting (known: {2}).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{0}: &apos;{1}&apos; is not a whole number.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{0}: &apos;{1}&apos; must be a text or a whole number.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{0}: cannot create the SQLite file &apos;{1}&apos; ({2}).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{0}: cannot create the folder for the SQLite file &apos;{1}&apos; ({2}).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{0}: cannot read the schema revision ({1}).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{0}: cannot read the settings file ({1}).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{0}: must not be negative.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{0}: the SQLite file &apos;{1}&apos; is not writable.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{0}: the database was made by a newer version of Till ({1}); install that version or point the setting at another database.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{0}: the settings file is not valid TOML ({1}).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{0}: upgrading the database schema failed ({1}).</source>
        <translation type="unfinished"></translation>
    </message>
</context>
</TS>
