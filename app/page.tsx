import { redirect } from 'next/navigation';
import { homeFor } from '@/lib/authz';
import { currentViewer } from '@/lib/auth/viewer';

export default async function RootPage() {
  const viewer = await currentViewer();
  if (!viewer) redirect('/login');
  redirect(viewer.mustChangePassword ? '/change-password' : homeFor(viewer.role));
}
