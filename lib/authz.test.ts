import { describe, expect, it } from 'vitest';
import { canChangeOwnAccess, homeFor, landingPath } from './authz';

const admin = { id: 1, role: 'admin' as const, mustChangePassword: false };

describe('authorization predicates', () => {
  it('sends each role to its own home', () => {
    expect(homeFor('cadre')).toBe('/my');
    expect(homeFor('organizer')).toBe('/review');
    expect(homeFor('admin')).toBe('/admin');
  });

  it('forbids changing one’s own access', () => {
    expect(canChangeOwnAccess(admin, 1)).toBe(false);
    expect(canChangeOwnAccess(admin, 5)).toBe(true);
  });

  it('follows a callback only to a local page the role may open', () => {
    expect(landingPath('cadre', '/my/reflections/3')).toBe('/my/reflections/3');
    expect(landingPath('cadre', '/admin')).toBe('/my');
    expect(landingPath('cadre', '/myself')).toBe('/my');
    expect(landingPath('admin', '//evil.example/admin')).toBe('/admin');
    expect(landingPath('admin', 'https://evil.example/admin')).toBe('/admin');
    expect(landingPath('admin', '/\\evil.example')).toBe('/admin');
    expect(landingPath('organizer', '/courses/2?tab=meetings')).toBe('/courses/2?tab=meetings');
    expect(landingPath('organizer', undefined)).toBe('/review');
    expect(landingPath('admin', '/courses/4')).toBe('/courses/4');
  });
});
