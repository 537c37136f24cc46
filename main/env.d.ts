// Text files bundled into the main process (Vite's ?raw suffix): the default chart of accounts.
declare module '*?raw' {
  const text: string;
  export default text;
}
