// The printed words of a receipt, in the languages customers can choose. Receipts are rendered in
// the main process (the PDF) and shown as they are in the renderer, so the texts live here once.

export const RECEIPT_LANGUAGES = ['en', 'es'] as const;
export type ReceiptLanguage = (typeof RECEIPT_LANGUAGES)[number];

export interface ReceiptTexts {
  title: Record<string, string>;
  duplicate: string;
  original: string;
  branchTill: string;
  teller: string;
  dateTime: string;
  customer: string;
  account: string;
  method: string;
  methods: Record<string, string>;
  amount: string;
  reference: string;
  transaction: string;
  receiptNumber: string;
  verifyNote: string;
}

export const RECEIPT_TEXTS: Record<ReceiptLanguage, ReceiptTexts> = {
  en: {
    title: {
      deposit: 'Deposit receipt',
      'deposit-revert': 'Deposit reversal',
      'withdrawal-initiate': 'Withdrawal request slip',
      'withdrawal-confirm': 'Withdrawal payout receipt',
      'withdrawal-cancel': 'Withdrawal cancellation',
      'withdrawal-revert': 'Withdrawal reversal',
    },
    duplicate: 'DUPLICATE',
    original: 'Original',
    branchTill: 'Branch and till',
    teller: 'Teller',
    dateTime: 'Date and time',
    customer: 'Customer',
    account: 'Account',
    method: 'Method',
    methods: { cash: 'Cash', wire: 'Wire transfer', check: 'Check', internal: 'Internal transfer' },
    amount: 'Amount',
    reference: 'Reference',
    transaction: 'Transaction',
    receiptNumber: 'Receipt',
    verifyNote: 'Scan the code at any branch to verify this receipt against the bank’s journal.',
  },
  es: {
    title: {
      deposit: 'Comprobante de depósito',
      'deposit-revert': 'Reversión de depósito',
      'withdrawal-initiate': 'Solicitud de retiro',
      'withdrawal-confirm': 'Comprobante de pago de retiro',
      'withdrawal-cancel': 'Anulación de retiro',
      'withdrawal-revert': 'Reversión de retiro',
    },
    duplicate: 'DUPLICADO',
    original: 'Original',
    branchTill: 'Sucursal y caja',
    teller: 'Cajero',
    dateTime: 'Fecha y hora',
    customer: 'Cliente',
    account: 'Cuenta',
    method: 'Medio',
    methods: {
      cash: 'Efectivo',
      wire: 'Transferencia bancaria',
      check: 'Cheque',
      internal: 'Traspaso interno',
    },
    amount: 'Importe',
    reference: 'Referencia',
    transaction: 'Transacción',
    receiptNumber: 'Comprobante',
    verifyNote:
      'Escanee el código en cualquier sucursal para verificar este comprobante con el diario del banco.',
  },
};

/** The BCP 47 locale a receipt's numbers and dates are written in. */
export const RECEIPT_LOCALE: Record<ReceiptLanguage, string> = { en: 'en-US', es: 'es-ES' };
