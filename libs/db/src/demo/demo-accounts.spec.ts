import { DEMO_ACCOUNTS, DEMO_PASSWORD, resolveDemoAccounts } from './demo-accounts';
import { generateDemoCatalog } from './demo-catalog.generator';

describe('demo accounts', () => {
  const catalog = generateDemoCatalog({ instrumentCount: 2_000 });
  const institutions = new Map(catalog.institutions.map((institution) => [institution.id, institution]));

  function accountOf(email: string) {
    const account = resolveDemoAccounts(catalog).find((candidate) => candidate.email === email);
    if (!account) throw new Error(`no demo account ${email}`);
    return account;
  }

  it('lists one account per role, lower-case e-mails, Chinese, one shared password', () => {
    expect(DEMO_ACCOUNTS.map((account) => [account.email, account.role])).toEqual([
      ['researcher@demo.example', 'researcher'],
      ['firm@demo.example', 'firm_member'],
      ['labmanager@demo.example', 'lab_manager'],
      ['staff@demo.example', 'department_staff'],
      ['admin@demo.example', 'admin'],
    ]);
    for (const account of DEMO_ACCOUNTS) {
      expect(account.email).toBe(account.email.toLowerCase());
      expect(account.language).toBe('zh');
      expect(account.displayName.length).toBeGreaterThan(0);
    }
    expect(DEMO_PASSWORD).toBe('demo-password');
  });

  it('puts the researcher at a Hangzhou university other than the lab manager’s', () => {
    const researcher = institutions.get(accountOf('researcher@demo.example').institutionId!)!;
    expect(researcher.kind).toBe('university');
    expect(researcher.regionCode.startsWith('3301')).toBe(true);
    expect(researcher.id).not.toBe(accountOf('labmanager@demo.example').institutionId);
  });

  it('puts the firm member in a small or micro enterprise', () => {
    const firm = institutions.get(accountOf('firm@demo.example').institutionId!)!;
    expect(firm.kind).toBe('enterprise');
    expect(firm.isSmallMicro).toBe(true);
  });

  it('makes the lab manager work for the Hangzhou institution owning the most instruments', () => {
    const counts = new Map<string, number>();
    for (const instrument of catalog.instruments) {
      if (instrument.regionCode.startsWith('3301')) counts.set(instrument.institutionId, (counts.get(instrument.institutionId) ?? 0) + 1);
    }
    const most = Math.max(...counts.values());
    const manager = accountOf('labmanager@demo.example');
    expect(counts.get(manager.institutionId!)).toBe(most);
  });

  it('scopes department staff to the province and leaves staff and admin without an institution', () => {
    expect(accountOf('staff@demo.example')).toMatchObject({ regionCode: '330000', institutionId: null });
    expect(accountOf('admin@demo.example')).toMatchObject({ regionCode: null, institutionId: null });
  });

  it('resolves the same institutions every time', () => {
    expect(resolveDemoAccounts(generateDemoCatalog({ instrumentCount: 2_000 }))).toEqual(resolveDemoAccounts(catalog));
  });
});
