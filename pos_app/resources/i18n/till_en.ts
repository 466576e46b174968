<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en_US">
<context>
    <name>CartKeeper</name>
    <message numerus="yes">
        <source>The cart has %Ln line(s), {0}. What happens to it before you {1}?</source>
        <translation>
            <numerusform>The cart has %Ln line, {0}. What happens to it before you {1}?</numerusform>
            <numerusform>The cart has %Ln lines, {0}. What happens to it before you {1}?</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>The till stopped during a sale: %Ln line(s), {0}, rung up by {1} at {2}. Put it back in the cart?</source>
        <translation>
            <numerusform>The till stopped during a sale: %Ln line, {0}, rung up by {1} at {2}. Put it back in the cart?</numerusform>
            <numerusform>The till stopped during a sale: %Ln lines, {0}, rung up by {1} at {2}. Put it back in the cart?</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>The unfinished sale is back in the cart (%Ln line(s)); check it with the customer and take payment.</source>
        <translation>
            <numerusform>The unfinished sale is back in the cart (%Ln line); check it with the customer and take payment.</numerusform>
            <numerusform>The unfinished sale is back in the cart (%Ln lines); check it with the customer and take payment.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>ImportErrorsDialog</name>
    <message numerus="yes">
        <source>Nothing was imported. Correct these {0} problems (on %Ln line(s)) and import the file again.</source>
        <translation>
            <numerusform>Nothing was imported. Correct these {0} problems (on %Ln line) and import the file again.</numerusform>
            <numerusform>Nothing was imported. Correct these {0} problems (on %Ln lines) and import the file again.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>InventoryScreen</name>
    <message numerus="yes">
        <source>%Ln product(s)</source>
        <translation>
            <numerusform>%Ln product</numerusform>
            <numerusform>%Ln products</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>LabelsDialog</name>
    <message numerus="yes">
        <source>%Ln label(s): {0}</source>
        <translation>
            <numerusform>%Ln label: {0}</numerusform>
            <numerusform>%Ln labels: {0}</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%Ln page(s)</source>
        <translation>
            <numerusform>%Ln page</numerusform>
            <numerusform>%Ln pages</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%Ln label(s) on {0} saved to {1}.</source>
        <translation>
            <numerusform>%Ln label on {0} saved to {1}.</numerusform>
            <numerusform>%Ln labels on {0} saved to {1}.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>RecallDialog</name>
    <message numerus="yes">
        <source>%Ln held sale(s), oldest first.</source>
        <translation>
            <numerusform>%Ln held sale, oldest first.</numerusform>
            <numerusform>%Ln held sales, oldest first.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>ReceiptsScreen</name>
    <message numerus="yes">
        <source>%Ln receipt(s) on {0} (the latest ones).</source>
        <translation>
            <numerusform>%Ln receipt on {0} (the latest one).</numerusform>
            <numerusform>%Ln receipts on {0} (the latest ones).</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%Ln receipt(s) on {0}.</source>
        <translation>
            <numerusform>%Ln receipt on {0}.</numerusform>
            <numerusform>%Ln receipts on {0}.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>SaleController</name>
    <message numerus="yes">
        <source>Remove all %Ln line(s) from the cart? The void is recorded.</source>
        <translation>
            <numerusform>Remove the %Ln line from the cart? The void is recorded.</numerusform>
            <numerusform>Remove all %Ln lines from the cart? The void is recorded.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Recalled sale {0} (%Ln line(s)).</source>
        <translation>
            <numerusform>Recalled sale {0} (%Ln line).</numerusform>
            <numerusform>Recalled sale {0} (%Ln lines).</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Nothing was charged: %Ln line(s) cannot be sold (marked in red). Fix them and press Pay again.</source>
        <translation>
            <numerusform>Nothing was charged: %Ln line cannot be sold (marked in red). Fix it and press Pay again.</numerusform>
            <numerusform>Nothing was charged: %Ln lines cannot be sold (marked in red). Fix them and press Pay again.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Pay is off: line {0}, {1}, cannot be sold: {2}, {3} wanted (%Ln more line(s) too). Change the quantity, remove the line, or count the stock (F6).</source>
        <translation>
            <numerusform>Pay is off: line {0}, {1}, cannot be sold: {2}, {3} wanted (%Ln more line too). Change the quantity, remove the line, or count the stock (F6).</numerusform>
            <numerusform>Pay is off: line {0}, {1}, cannot be sold: {2}, {3} wanted (%Ln more lines too). Change the quantity, remove the line, or count the stock (F6).</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>ShiftHistory</name>
    <message numerus="yes">
        <source>%Ln shift(s)</source>
        <translation>
            <numerusform>%Ln shift</numerusform>
            <numerusform>%Ln shifts</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>UnshiftedList</name>
    <message numerus="yes">
        <source>%Ln sale(s) and refund(s) are on no Z report; reconcile them by hand.</source>
        <translation>
            <numerusform>%Ln sale or refund is on no Z report; reconcile it by hand.</numerusform>
            <numerusform>%Ln sales and refunds are on no Z report; reconcile them by hand.</numerusform>
        </translation>
    </message>
</context>
</TS>
